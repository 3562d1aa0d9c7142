/// The compression of a record batch: bits 0–2 of its attributes.
enum CompressionCodec: Int16, Sendable, CustomStringConvertible {
  case none = 0
  case gzip = 1
  case snappy = 2
  case lz4 = 3
  case zstd = 4

  var description: String {
    switch self {
    case .none: "none"
    case .gzip: "gzip"
    case .snappy: "snappy"
    case .lz4: "lz4"
    case .zstd: "zstd"
    }
  }
}
