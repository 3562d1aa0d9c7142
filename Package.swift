// swift-tools-version: 6.1
import PackageDescription

// One settings array for every target, as swift-nio does.
let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "Avocet",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "avocet", targets: ["avocet"]),
    .library(name: "Columnar", targets: ["Columnar"]),
    .library(name: "Codecs", targets: ["Codecs"]),
    .library(name: "Storage", targets: ["Storage"]),
    .library(name: "ObjectStore", targets: ["ObjectStore"]),
    .library(name: "Parquet", targets: ["Parquet"]),
    .library(name: "Expr", targets: ["Expr"]),
    .library(name: "Synthetic", targets: ["Synthetic"]),
    .library(name: "SQLParser", targets: ["SQLParser"]),
    .library(name: "Delta", targets: ["Delta"]),
    .library(name: "Exec", targets: ["Exec"]),
    .library(name: "Engine", targets: ["Engine"]),
    .library(name: "Ingest", targets: ["Ingest"]),
    .library(name: "IngestServer", targets: ["IngestServer"]),
    .library(name: "Kafka", targets: ["Kafka"]),
    .library(name: "AvocetCLI", targets: ["AvocetCLI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.0.0"),
  ],
  targets: [
    // libm: rounding in value formatting, for executables that do not link Foundation.
    .target(name: "Columnar", swiftSettings: strict, linkerSettings: [.linkedLibrary("m")]),
    .target(name: "Storage", swiftSettings: strict),
    // S3 and S3-compatible object stores: SigV4, the AWS credential chain, the S3 REST calls.
    .target(
      name: "ObjectStore",
      dependencies: [
        "Columnar",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: strict),
    .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
    .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
    .target(name: "Codecs", dependencies: ["CZlib"], swiftSettings: strict),
    .target(name: "Parquet", dependencies: ["Columnar", "Codecs", "Storage"], swiftSettings: strict),
    .target(name: "Expr", dependencies: ["Columnar"], swiftSettings: strict),
    .target(name: "Digest", swiftSettings: strict),
    .target(name: "Synthetic", dependencies: ["Columnar", "Digest"], swiftSettings: strict),
    .target(name: "SQLParser", swiftSettings: strict),
    .target(name: "Delta", dependencies: ["Columnar", "Parquet", "Storage", "Expr", "ObjectStore"], swiftSettings: strict),
    .target(name: "Exec", dependencies: ["Columnar", "Expr", "Digest"], swiftSettings: strict),
    // SQL text to results: binder, planner, parallel executor over Delta and Parquet scans.
    .target(
      name: "Engine", dependencies: ["Columnar", "Expr", "SQLParser", "Delta", "Parquet", "Storage", "Exec"],
      swiftSettings: strict),
    // Security logs into Delta tables: format decoders, sources, micro-batches, exactly-once commits.
    .target(
      name: "Ingest", dependencies: ["Columnar", "Storage", "Codecs", "Expr", "Delta", "ObjectStore", "Kafka"],
      swiftSettings: strict),
    // A Kafka consumer in Swift: the wire protocol, record batches, consumer groups, TLS and SASL, on SwiftNIO.
    .target(
      name: "Kafka",
      dependencies: [
        "Codecs", "Digest",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOTLS", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: strict),
    // `avocet serve`: osquery's remote API and JSON-lines posts, spooled to disk, then ingested.
    .target(
      name: "IngestServer",
      dependencies: [
        "Ingest", "Delta", "Codecs", "Digest",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTLS", package: "hummingbird"),
      ],
      swiftSettings: strict),
    .target(
      name: "AvocetCLI",
      dependencies: [
        "Columnar", "Parquet", "Storage", "Expr", "Delta", "Synthetic", "Engine", "SQLParser", "Ingest", "IngestServer", "Kafka",
        "CMalloc",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict),
    .executableTarget(name: "avocet", dependencies: ["AvocetCLI"], swiftSettings: strict),
    .testTarget(name: "ColumnarTests", dependencies: ["Columnar"], swiftSettings: strict),
    .testTarget(
      name: "CodecsTests", dependencies: ["Codecs"], exclude: ["Fixtures"], swiftSettings: strict),
    .testTarget(name: "ExprTests", dependencies: ["Expr", "Columnar"], swiftSettings: strict),
    .testTarget(name: "SyntheticTests", dependencies: ["Synthetic", "Columnar", "Digest"], swiftSettings: strict),
    .testTarget(name: "SQLParserTests", dependencies: ["SQLParser"], swiftSettings: strict),
    .testTarget(
      name: "DeltaTests", dependencies: ["Delta", "Parquet", "Columnar", "Storage", "Expr", "ObjectStore"],
      swiftSettings: strict),
    .testTarget(
      name: "ParquetTests", dependencies: ["Parquet", "Columnar", "Storage"], exclude: ["Fixtures"],
      swiftSettings: strict),
    .testTarget(name: "ExecTests", dependencies: ["Exec", "Columnar", "Expr"], swiftSettings: strict),
    .testTarget(
      name: "EngineTests", dependencies: ["Engine", "Delta", "Columnar", "Expr", "Exec", "SQLParser", "Synthetic"],
      exclude: ["Corpus"], swiftSettings: strict),
    .testTarget(name: "ObjectStoreTests", dependencies: ["ObjectStore"], swiftSettings: strict),
    .testTarget(
      name: "IngestTests", dependencies: ["Ingest", "Delta", "Columnar", "Parquet"], swiftSettings: strict),
    .testTarget(
      name: "KafkaTests",
      dependencies: ["Kafka", "Codecs", .product(name: "NIOEmbedded", package: "swift-nio")], swiftSettings: strict),
    .testTarget(
      name: "IngestServerTests",
      dependencies: [
        "IngestServer", "Ingest", "Delta", "Columnar", "Codecs",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "CLITests",
      dependencies: ["AvocetCLI", "Parquet", "Columnar", "Delta", .product(name: "AsyncHTTPClient", package: "async-http-client")],
      swiftSettings: strict),
  ]
)
