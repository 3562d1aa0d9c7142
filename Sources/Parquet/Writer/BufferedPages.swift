/// A column chunk's finished pages until its row group is written, each page (header and
/// body) in an array of its exact size.
///
/// One growing array would double its capacity as it fills, copying everything each time and
/// holding up to twice the chunk's size; fixed-size blocks waste the tail of each block that
/// the next page does not fit. Exact pages cost the chunk's size and never move.
struct BufferedPages {
  private var pages: [[UInt8]] = []
  /// The bytes held.
  private(set) var count = 0

  /// Appends a page: its `header` followed by its `body`.
  mutating func append(header: [UInt8], body: [UInt8]) {
    var page: [UInt8] = []
    page.reserveCapacity(header.count + body.count)
    page.append(contentsOf: header)
    page.append(contentsOf: body)
    count += page.count
    pages.append(page)
  }

  /// Calls `body` with each page in order.
  func forEach<E: Error>(_ body: ([UInt8]) throws(E) -> Void) throws(E) {
    for page in pages { try body(page) }
  }

  /// Frees every page.
  mutating func removeAll() {
    pages = []
    count = 0
  }
}
