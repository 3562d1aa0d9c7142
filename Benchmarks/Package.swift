// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package so `swift test` on the main package never builds them.
let package = Package(
  name: "AvocetBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [.package(name: "Avocet", path: "..")],
  targets: [
    .executableTarget(
      name: "parquet-bench",
      dependencies: [
        .product(name: "Parquet", package: "Avocet"),
        .product(name: "Columnar", package: "Avocet"),
        .product(name: "Storage", package: "Avocet"),
      ],
      path: "Sources/ParquetBench",
      swiftSettings: [.unsafeFlags(["-Ounchecked"])])
  ]
)
