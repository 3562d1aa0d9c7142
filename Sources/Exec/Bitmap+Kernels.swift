public import Columnar

extension Bitmap {
  /// Builds `count` bits, 64 at a time, from `bit(i)`.
  @inlinable @inline(__always)
  static func build(count: Int, _ bit: (Int) -> Bool) -> Bitmap {
    let wordCount = (count + 63) >> 6
    let words = [UInt64](unsafeUninitializedCapacity: wordCount) { out, initialized in
      var base = 0
      for w in 0..<wordCount {
        let end = Swift.min(base + 64, count)
        var word: UInt64 = 0
        var i = base
        while i < end {
          word |= (bit(i) ? 1 : 0) << UInt64(i - base)
          i += 1
        }
        out[w] = word
        base += 64
      }
      initialized = wordCount
    }
    return Bitmap(words: words, count: count)
  }

  /// Combines two equally long bitmaps word by word.
  @inlinable
  static func combine(_ a: Bitmap, _ b: Bitmap, _ op: (UInt64, UInt64) -> UInt64) -> Bitmap {
    let aw = a.words
    let bw = b.words
    let words = [UInt64](unsafeUninitializedCapacity: aw.count) { out, initialized in
      for w in 0..<aw.count { out[w] = op(aw[w], bw[w]) }
      initialized = aw.count
    }
    return Bitmap(words: words, count: a.count)
  }

  /// The bitwise complement (bits past `count` stay clear).
  var inverted: Bitmap {
    Bitmap(words: words.map { ~$0 }, count: count)
  }

  /// The indices of the set bits, ascending.
  public func setIndices() -> [Int32] {
    let total = setCount
    let words = self.words
    return [Int32](unsafeUninitializedCapacity: total) { out, initialized in
      var n = 0
      for w in 0..<words.count {
        var word = words[w]
        let base = Int32(w << 6)
        while word != 0 {
          out[n] = base + Int32(word.trailingZeroBitCount)
          n += 1
          word &= word &- 1
        }
      }
      initialized = n
    }
  }
}

/// Validity of the rows of two inputs: valid where both are; nil when neither has nulls.
func intersectValidity(_ a: Bitmap?, _ b: Bitmap?) -> Bitmap? {
  switch (a, b) {
  case (nil, nil): return nil
  case (let x?, nil): return x
  case (nil, let y?): return y
  case (let x?, let y?): return Bitmap.combine(x, y) { $0 & $1 }
  }
}

extension ColumnVector {
  /// The validity bitmap, or nil when no row is null (a `.none` vector is all null).
  var effectiveValidity: Bitmap? {
    if case .none = storage { return Bitmap(repeating: false, count: count) }
    if let validity, validity.allSet { return nil }
    return validity
  }

  /// A boolean vector's "true and not null" rows.
  func trueMask() throws(ExecError) -> Bitmap {
    switch storage {
    case .boolean(let bits):
      guard let validity else { return bits }
      return Bitmap.combine(bits, validity) { $0 & $1 }
    case .none: return Bitmap(repeating: false, count: count)
    default: throw ExecError(.typeMismatch, "a filter predicate must be boolean, not \(type)")
    }
  }

  /// A boolean vector from bits and validity.
  static func boolean(_ bits: Bitmap, validity: Bitmap?) -> ColumnVector {
    ColumnVector(type: .boolean, count: bits.count, validity: validity, storage: .boolean(bits))
  }
}
