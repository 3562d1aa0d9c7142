/// How OPTIMIZE … ZORDER BY orders rows: along a Z-order (Morton) curve, as Spark does, or along
/// a Hilbert curve, whose consecutive cells are always neighbours, so that files cover more
/// compact regions and skip more.
public enum ClusteringCurve: String, Sendable, CaseIterable {
  case zorder
  case hilbert
}

/// Maps a row's per-column coordinates (rank-based bucket ids) to its position on a curve.
enum SpaceFillingCurve {
  /// Bits per coordinate so that the whole key fits in 64 bits (at most 32).
  static func bitsPerDimension(_ dimensions: Int) -> Int {
    min(32, 64 / max(1, dimensions))
  }

  /// The Morton key: the coordinates' bits interleaved from the most significant down, the
  /// first coordinate's bit first. Each coordinate holds `bits` bits.
  @inlinable
  static func zValue(_ coordinates: UnsafeBufferPointer<UInt32>, bits: Int) -> UInt64 {
    if coordinates.count == 2 {
      // Spread each coordinate's bits to every other position (the common two-column case).
      return spread(coordinates[0]) << 1 | spread(coordinates[1])
    }
    var key: UInt64 = 0
    var bit = bits - 1
    while bit >= 0 {
      for c in coordinates { key = key << 1 | UInt64(c >> UInt32(bit) & 1) }
      bit -= 1
    }
    return key
  }

  /// The 32 bits of `x` at the even bit positions of the result.
  @inlinable
  static func spread(_ x: UInt32) -> UInt64 {
    var v = UInt64(x)
    v = (v | v << 16) & 0x0000_FFFF_0000_FFFF
    v = (v | v << 8) & 0x00FF_00FF_00FF_00FF
    v = (v | v << 4) & 0x0F0F_0F0F_0F0F_0F0F
    v = (v | v << 2) & 0x3333_3333_3333_3333
    v = (v | v << 1) & 0x5555_5555_5555_5555
    return v
  }

  /// The Hilbert key of the coordinates (`bits` bits each), by Skilling's transform ("Programming
  /// the Hilbert curve", AIP Conf. Proc. 707, 2004): the axes become the curve's transposed index,
  /// whose bits are then interleaved like a Morton key. `coordinates` is used as scratch.
  static func hilbertValue(_ coordinates: UnsafeMutableBufferPointer<UInt32>, bits: Int) -> UInt64 {
    let n = coordinates.count
    guard n > 1, bits > 0 else { return n == 1 ? UInt64(coordinates[0]) : 0 }
    let top = UInt32(1) << UInt32(bits - 1)
    // Undo the excess work of the inverse transform, from the top bit down.
    var q = top
    while q > 1 {
      let p = q - 1
      for i in 0..<n {
        if coordinates[i] & q != 0 {
          coordinates[0] ^= p
        } else {
          let t = (coordinates[0] ^ coordinates[i]) & p
          coordinates[0] ^= t
          coordinates[i] ^= t
        }
      }
      q >>= 1
    }
    // Gray encode.
    for i in 1..<n { coordinates[i] ^= coordinates[i - 1] }
    var t: UInt32 = 0
    q = top
    while q > 1 {
      if coordinates[n - 1] & q != 0 { t ^= q - 1 }
      q >>= 1
    }
    for i in 0..<n { coordinates[i] ^= t }
    return zValue(UnsafeBufferPointer(coordinates), bits: bits)
  }

  /// The curve key of every row, from one bucket-id column per clustering column.
  static func keys(_ columns: [[UInt32]], rowCount: Int, bits: Int, curve: ClusteringCurve) -> [UInt64] {
    var keys = [UInt64](repeating: 0, count: rowCount)
    var scratch = [UInt32](repeating: 0, count: columns.count)
    scratch.withUnsafeMutableBufferPointer { point in
      for row in 0..<rowCount {
        for d in columns.indices { point[d] = columns[d][row] }
        switch curve {
        case .zorder: keys[row] = zValue(UnsafeBufferPointer(point), bits: bits)
        case .hilbert: keys[row] = hilbertValue(point, bits: bits)
        }
      }
    }
    return keys
  }
}
