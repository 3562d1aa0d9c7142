public import Columnar
public import Expr

/// The compiled list of an IN predicate: integers and byte strings are looked up in hash sets
/// (or scanned linearly when the list is short); other values fall back to comparisons.
public struct InList: Sendable {
  /// The list as written.
  public let values: [ScalarValue]
  /// True when the list holds a NULL (then a miss is NULL, not false).
  public let containsNull: Bool
  /// The integer items, when every non-null item is an integer.
  let integers: [Int64]?
  let integerSet: Set<Int64>
  /// The string items as UTF-8 bytes, when every non-null item is a string or binary.
  let byteStrings: [[UInt8]]?
  let byteStringSet: Set<[UInt8]>

  public init(_ values: [ScalarValue]) {
    self.values = values
    let items = values.filter { !$0.isNull }
    containsNull = items.count != values.count
    var ints: [Int64] = []
    var strings: [[UInt8]] = []
    for item in items {
      switch item {
      case .int64(let v): ints.append(v)
      case .string(let s): strings.append(Array(s.utf8))
      case .binary(let b): strings.append(b)
      default: break
      }
    }
    integers = ints.count == items.count ? ints : nil
    integerSet = Set(ints)
    byteStrings = strings.count == items.count ? strings : nil
    byteStringSet = Set(strings)
  }

  /// The rows whose integer `value(i)` is one of the integer items. A short list is compared
  /// item by item without branches from a buffer hoisted out of the loop, which the compiler
  /// can vectorize; a long one goes through the hash set.
  @inline(__always) func matchIntegers(count n: Int, _ value: (Int) -> Int64) -> Bitmap {
    guard let integers else { return Bitmap(repeating: false, count: n) }
    guard integers.count <= 8 else { return Bitmap.build(count: n) { integerSet.contains(value($0)) } }
    return integers.withUnsafeBufferPointer { items in
      Bitmap.build(count: n) { i in
        let x = value(i)
        var hit: UInt8 = 0
        for item in items { hit |= item == x ? 1 : 0 }
        return hit != 0
      }
    }
  }

  /// True when `bytes` equals one of the string items (no allocation for short lists).
  func containsBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let byteStrings else { return false }
    if byteStrings.count <= 8 {
      for item in byteStrings where item.count == bytes.count {
        let same = item.withUnsafeBufferPointer {
          ByteHashing.equal(UnsafeRawPointer($0.baseAddress), UnsafeRawPointer(bytes.baseAddress), bytes.count)
        }
        if same { return true }
      }
      return false
    }
    return byteStringSet.contains(Array(bytes))
  }
}
