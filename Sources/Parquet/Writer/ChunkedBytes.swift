/// A column chunk's finished pages until its row group is written, each page (header and
/// body) in an array of its exact size.
///
/// One growing array would double its capacity as it fills, copying everything each time and
/// holding up to twice the chunk's size; fixed-size blocks waste the tail of each block that
/// the next page does not fit. Exact pieces cost the chunk's size and never move.
struct ChunkedBytes {
  private var pieces: [[UInt8]] = []
  /// The bytes held.
  private(set) var count = 0

  /// Appends `header` followed by `body` as one piece.
  mutating func append(_ header: [UInt8], _ body: [UInt8]) {
    var piece: [UInt8] = []
    piece.reserveCapacity(header.count + body.count)
    piece.append(contentsOf: header)
    piece.append(contentsOf: body)
    count += piece.count
    pieces.append(piece)
  }

  /// Calls `body` with each piece in order.
  func forEachPiece<E: Error>(_ body: ([UInt8]) throws(E) -> Void) throws(E) {
    for piece in pieces { try body(piece) }
  }

  /// Frees every piece.
  mutating func removeAll() {
    pieces = []
    count = 0
  }
}
