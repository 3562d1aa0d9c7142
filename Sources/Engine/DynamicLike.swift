import Columnar
import Exec

/// `text LIKE pattern` where the pattern is computed per row (`key LIKE 'data/' || name || '/%'`):
/// each distinct pattern is compiled once per batch.
struct DynamicLike: ScalarFunctionKernel {
  let caseInsensitive: Bool
  let negated: Bool
  let escape: Character?
  var name: String { caseInsensitive ? "ilike" : "like" }

  func evaluate(_ arguments: [ColumnVector], rowCount: Int) throws(ExecError) -> ColumnVector {
    let text = arguments[0].decodedDictionary()
    let patterns = arguments[1].decodedDictionary()
    guard case .binary(let to, let tb) = text.storage, case .binary(let po, let pb) = patterns.storage else {
      return ColumnVector.nulls(.boolean, count: rowCount)
    }
    // Patterns are compiled once each; consecutive rows with the same pattern (the usual case)
    // reuse it without a lookup.
    var compiled: [ArraySlice<UInt8>: LikePattern] = [:]
    var last: (bytes: ArraySlice<UInt8>, pattern: LikePattern)? = nil
    var bits = Bitmap(repeating: false, count: rowCount)
    var valid = Bitmap(repeating: true, count: rowCount)
    for row in 0..<rowCount {
      if text.isNull(row) || patterns.isNull(row) {
        valid[row] = false
        continue
      }
      let bytes = pb[Int(po[row])..<Int(po[row + 1])]
      let pattern: LikePattern
      if let last, last.bytes.elementsEqual(bytes) {
        pattern = last.pattern
      } else if let cached = compiled[bytes] {
        pattern = cached
      } else {
        pattern = try LikePattern(String(decoding: bytes, as: UTF8.self), caseInsensitive: caseInsensitive, escape: escape)
        compiled[bytes] = pattern
      }
      last = (bytes, pattern)
      let hit = tb.withUnsafeBufferPointer { b in
        pattern.matches(UnsafeBufferPointer(rebasing: b[Int(to[row])..<Int(to[row + 1])]))
      }
      bits[row] = hit != negated
    }
    return ColumnVector(type: .boolean, count: rowCount, validity: valid.allSet ? nil : valid, storage: .boolean(bits))
  }
}
