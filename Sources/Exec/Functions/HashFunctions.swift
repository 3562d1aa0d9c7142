import Columnar
import Digest

/// `md5(s)` and `sha256(s)`: the lowercase hex digest of a string's UTF-8 bytes (or of a binary
/// value). Dictionary inputs hash each entry once.
struct DigestKernel: ScalarFunctionKernel {
  enum Algorithm: Sendable { case md5, sha256 }

  let name: String
  let algorithm: Algorithm

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let algorithm = self.algorithm
    return try Kernels.mapEachString(name, arguments[0], others: [], rowCount: n) {
      (_, text, out) throws(ExecError) -> Bool in
      switch algorithm {
      case .md5: MD5.appendHexDigest(of: UnsafeRawBufferPointer(text), to: &out)
      case .sha256: SHA256.appendHexDigest(of: UnsafeRawBufferPointer(text), to: &out)
      }
      return true
    }
  }
}

/// `hash(value, ...)`: a 64-bit hash (`uint64`) of one or more values of any primitive type.
///
/// The value is part of this library's contract: the same input gives the same hash on every
/// run, machine and version, so it can be stored (for sampling or bucketing). It is not DuckDB's
/// value. Integers of every width hash alike (`hash(1::int8) = hash(1::int64)`); floats hash
/// their `float64` value with `-0.0` as `0.0` and one NaN; timestamps hash their microseconds
/// whatever their unit, so equal instants hash alike; strings and binaries hash their bytes. NULL
/// hashes to a fixed value, so the result is never NULL (as in DuckDB).
struct HashKernel: ScalarFunctionKernel {
  let name = "hash"

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    var combined: [UInt64] = []
    for (index, argument) in arguments.enumerated() {
      let hashes = try Self.hashes(argument, rowCount: n)
      if index == 0 {
        combined = hashes
      } else {
        for i in 0..<n { combined[i] = StableHash.combine(combined[i], hashes[i]) }
      }
    }
    return ColumnVector(type: .uint64, count: n, storage: .uint64(combined))
  }

  /// The hash of every row of `v`, NULL rows included.
  static func hashes(_ v: ColumnVector, rowCount n: Int) throws(ExecError) -> [UInt64] {
    var out: [UInt64]
    switch v.storage {
    case .none: return [UInt64](repeating: StableHash.null, count: n)
    case .boolean(let bits): out = (0..<n).map { StableHash.integer(bits[$0] ? 1 : 0) }
    case .int8(let x): out = x.map { StableHash.integer(Int64($0)) }
    case .int16(let x): out = x.map { StableHash.integer(Int64($0)) }
    case .int32(let x): out = x.map { StableHash.integer(Int64($0)) }
    case .uint8(let x): out = x.map { StableHash.integer(Int64($0)) }
    case .uint32(let x): out = x.map { StableHash.integer(Int64($0)) }
    case .uint64(let x): out = x.map { StableHash.integer(Int64(bitPattern: $0)) }
    case .uint16(let x):
      if v.type == .float16, let numbers = Kernels.numeric(v) {
        out = Kernels.doubles(numbers).map { StableHash.float($0) }
      } else {
        out = x.map { StableHash.integer(Int64($0)) }
      }
    case .int64(let x):
      let micros = Kernels.temporalValues(v, asMicros: true) ?? x
      out = micros.map { StableHash.integer($0) }
    case .float32(let x): out = x.map { StableHash.float(Double($0)) }
    case .float64(let x): out = x.map { StableHash.float($0) }
    case .int128(let x):
      out = x.map {
        StableHash.combine(
          StableHash.integer(Int64(truncatingIfNeeded: $0)), StableHash.integer(Int64(truncatingIfNeeded: $0 >> 64)))
      }
    case .binary, .dictionary:
      guard let column = StringColumn(v) else {
        throw ExecError(.typeMismatch, "hash cannot hash \(FunctionCall.typeName(v.type))")
      }
      if case .dictionary(let indices, let dictionary) = v.storage, dictionary.count <= n {
        let entries = try hashes(dictionary, rowCount: dictionary.count)
        out = indices.map { $0 >= 0 && Int($0) < entries.count ? entries[Int($0)] : StableHash.null }
      } else {
        out = column.withRows { rows in (0..<n).map { StableHash.bytes(rows[$0]) } }
      }
    default: throw ExecError(.typeMismatch, "hash cannot hash \(FunctionCall.typeName(v.type))")
    }
    if let validity = v.effectiveValidity {
      for i in 0..<n where !validity[i] { out[i] = StableHash.null }
    }
    return out
  }
}

/// The hash function behind `hash()`. Fixed constants and little-endian reads make the value the
/// same everywhere; change nothing here without treating it as a format change.
enum StableHash {
  static let null: UInt64 = 0xB6A1_D3E5_6C6F_9A27
  static let seed: UInt64 = 0x9E37_79B9_7F4A_7C15

  /// MurmurHash3's 64-bit finalizer.
  @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
    var h = x
    h ^= h >> 33
    h &*= 0xff51_afd7_ed55_8ccd
    h ^= h >> 33
    h &*= 0xc4ce_b9fe_1a85_ec53
    h ^= h >> 33
    return h
  }

  @inline(__always) static func integer(_ x: Int64) -> UInt64 { mix(UInt64(bitPattern: x) ^ seed) }

  @inline(__always) static func float(_ x: Double) -> UInt64 {
    let canonical = x.isNaN ? Double.nan : (x == 0 ? 0 : x)
    return mix(canonical.bitPattern &+ 0x2545_F491_4F6C_DD1D)
  }

  @inline(__always) static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
    mix(a ^ (b &* 0xbf58_476d_1ce4_e5b9) ^ 0x94d0_49bb_1331_11eb)
  }

  /// Eight bytes at a time (read little-endian), the tail zero-padded, the length folded in.
  static func bytes(_ text: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h = seed ^ (UInt64(truncatingIfNeeded: text.count) &* 0x87c3_7b91_1142_53d5)
    guard let base = text.baseAddress else { return mix(h) }
    let raw = UnsafeRawPointer(base)
    var at = 0
    while at + 8 <= text.count {
      let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
      h = mix(h ^ word) &+ 0x5851_f42d_4c95_7f2d
      at += 8
    }
    if at < text.count {
      var tail: UInt64 = 0
      var shift: UInt64 = 0
      while at < text.count {
        tail |= UInt64(base[at]) << shift
        shift += 8
        at += 1
      }
      h = mix(h ^ tail) &+ 0x5851_f42d_4c95_7f2d
    }
    return mix(h)
  }
}
