/// An IPv4 or IPv6 address parsed straight from UTF-8 bytes, without allocating.
///
/// Parsing is strict, for security work where a lenient parser is an evasion vector:
/// - IPv4 is exactly four dotted decimal parts of 1–3 digits, each 0–255, with no sign, no
///   leading zero (`010.0.0.1` is rejected: inet_aton would read it as octal), no whitespace.
/// - IPv6 follows RFC 4291 section 2.2: eight groups of 1–4 hex digits, at most one `::`
///   standing for one or more zero groups, optionally ending in a dotted IPv4 address
///   (`::ffff:10.0.0.1`). Zone ids (`fe80::1%eth0`), brackets and prefixes are rejected.
struct IPAddress: Equatable, Sendable {
  /// The address; an IPv4 address is in the low 32 bits.
  var value: UInt128
  var isV4: Bool

  var bitWidth: Int { isV4 ? 32 : 128 }

  /// The longest valid text form (`ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`).
  static let maximumLength = 45

  static func parse(_ text: UnsafeBufferPointer<UInt8>) -> IPAddress? {
    parse(text, 0, text.count)
  }

  /// Parses `text[start..<end]`.
  static func parse(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> IPAddress? {
    guard end - start >= 2, end - start <= maximumLength else { return nil }
    // IPv4 first: it fails fast on IPv6 text (too long, or a ':' among the first bytes).
    if let v4 = parseV4(text, start, end) { return IPAddress(value: UInt128(v4), isV4: true) }
    return parseV6(text, start, end).map { IPAddress(value: $0, isV4: false) }
  }

  /// A strict dotted quad in `text[start..<end]`.
  static func parseV4(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt32? {
    // "0.0.0.0" to "255.255.255.255".
    guard end - start >= 7, end - start <= 15, let base = text.baseAddress else { return nil }
    var value: UInt32 = 0
    var part: UInt32 = 0
    var digits = 0
    var dots = 0
    var p = base + start
    let stop = base + end
    while p < stop {
      let byte = p.pointee
      let digit = byte &- UInt8(ascii: "0")
      if digit <= 9 {
        // A second digit after a leading zero ("01") is rejected.
        guard digits < 3, digits == 0 || part != 0 else { return nil }
        part = part &* 10 &+ UInt32(digit)
        digits += 1
      } else if byte == UInt8(ascii: ".") {
        guard digits > 0, part <= 255, dots < 3 else { return nil }
        value = value << 8 | part
        part = 0
        digits = 0
        dots += 1
      } else {
        return nil
      }
      p += 1
    }
    guard dots == 3, digits > 0, part <= 255 else { return nil }
    return value << 8 | part
  }

  /// An RFC 4291 text address in `text[start..<end]`.
  static func parseV6(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt128? {
    var head: UInt128 = 0
    var headCount = 0
    var tail: UInt128 = 0
    var tailCount = 0
    var compressed = false
    var i = start
    if text[i] == UInt8(ascii: ":") {
      guard i + 1 < end, text[i + 1] == UInt8(ascii: ":") else { return nil }
      compressed = true
      i += 2
      if i == end { return 0 }
    }
    while true {
      // One group of 1–4 hex digits, or the final dotted IPv4 address.
      let first = i
      var group: UInt128 = 0
      while i < end, i - first < 4, let digit = hexValue(text[i]) {
        group = group << 4 | UInt128(digit)
        i += 1
      }
      if i < end, text[i] == UInt8(ascii: ".") {
        guard let v4 = parseV4(text, first, end) else { return nil }
        if compressed {
          tail = tail << 32 | UInt128(v4)
          tailCount += 2
        } else {
          head = head << 32 | UInt128(v4)
          headCount += 2
        }
        break
      }
      guard i > first else { return nil }
      if compressed {
        tail = tail << 16 | group
        tailCount += 1
      } else {
        head = head << 16 | group
        headCount += 1
      }
      guard headCount + tailCount <= 8 else { return nil }
      if i == end { break }
      guard text[i] == UInt8(ascii: ":") else { return nil }
      i += 1
      guard i < end else { return nil }
      if text[i] == UInt8(ascii: ":") {
        guard !compressed else { return nil }
        compressed = true
        i += 1
        if i == end { break }
      }
    }
    let total = headCount + tailCount
    if compressed {
      // `::` stands for at least one zero group.
      guard total <= 7 else { return nil }
      let headShift = UInt128(16 * (8 - headCount))
      return (headCount == 0 ? 0 : head << headShift) | tail
    }
    return total == 8 ? head : nil
  }

  @inline(__always) private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }

  /// The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`).
  var mappedV4: UInt32? {
    guard !isV4, value >> 32 == 0xFFFF else { return nil }
    return UInt32(truncatingIfNeeded: value)
  }

  /// RFC 1918, loopback, link-local and shared (CGNAT) IPv4 space; IPv6 unique-local
  /// (fc00::/7), link-local (fe80::/10) and loopback (::1). An IPv4-mapped IPv6 address is
  /// private when its IPv4 address is.
  var isPrivate: Bool {
    if isV4 || mappedV4 != nil {
      let v = isV4 ? UInt32(truncatingIfNeeded: value) : mappedV4 ?? 0
      return v >> 24 == 10  // 10.0.0.0/8
        || v >> 20 == 0xAC1  // 172.16.0.0/12
        || v >> 16 == 0xC0A8  // 192.168.0.0/16
        || v >> 24 == 127  // 127.0.0.0/8
        || v >> 16 == 0xA9FE  // 169.254.0.0/16
        || v >> 22 == 0x191  // 100.64.0.0/10
    }
    return value >> 121 == 0x7E  // fc00::/7
      || value >> 118 == 0x3FA  // fe80::/10
      || value == 1  // ::1
  }

  /// The address with every bit past `prefix` cleared.
  func network(prefix: Int) -> IPAddress {
    IPAddress(value: value & Self.mask(prefix: prefix, width: bitWidth), isV4: isV4)
  }

  /// The top `prefix` bits of a `width`-bit address set.
  static func mask(prefix: Int, width: Int) -> UInt128 {
    guard prefix > 0 else { return 0 }
    let all: UInt128 = width == 128 ? ~0 : (1 << UInt128(width)) - 1
    return all & ~((1 << UInt128(width - prefix)) &- 1)
  }

  // MARK: Text

  /// Appends the canonical text: a dotted quad, or RFC 5952 IPv6 (lowercase, no leading zeros,
  /// the longest run of two or more zero groups as `::`, IPv4-mapped addresses as
  /// `::ffff:a.b.c.d`).
  func append(to out: inout [UInt8]) {
    if isV4 {
      Self.appendV4(UInt32(truncatingIfNeeded: value), to: &out)
      return
    }
    if let v4 = mappedV4 {
      out.append(contentsOf: [58, 58, 102, 102, 102, 102, 58])  // ::ffff:
      Self.appendV4(v4, to: &out)
      return
    }
    // The longest run of zero groups (the first when tied), if two or more long.
    var bestStart = -1
    var bestLength = 1
    var runStart = -1
    for g in 0..<8 {
      if group(g) == 0 {
        if runStart < 0 { runStart = g }
        if g - runStart + 1 > bestLength {
          bestStart = runStart
          bestLength = g - runStart + 1
        }
      } else {
        runStart = -1
      }
    }
    var g = 0
    while g < 8 {
      if g == bestStart {
        out.append(contentsOf: [58, 58])
        g += bestLength
        continue
      }
      if g > 0 && g != bestStart + bestLength { out.append(58) }
      Self.appendHex(group(g), to: &out)
      g += 1
    }
  }

  private func group(_ index: Int) -> UInt16 {
    UInt16(truncatingIfNeeded: value >> UInt128(16 * (7 - index)))
  }

  static func appendV4(_ v: UInt32, to out: inout [UInt8]) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 15) { text in
      var count = 0
      var shift: UInt32 = 24
      while true {
        let octet = UInt8(truncatingIfNeeded: v >> shift)
        if octet >= 100 {
          text[count] = 48 + octet / 100
          count += 1
        }
        if octet >= 10 {
          text[count] = 48 + octet / 10 % 10
          count += 1
        }
        text[count] = 48 + octet % 10
        count += 1
        if shift == 0 { break }
        text[count] = UInt8(ascii: ".")
        count += 1
        shift -= 8
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: text[0..<count]))
    }
  }

  private static func appendHex(_ v: UInt16, to out: inout [UInt8]) {
    var started = false
    for shift in stride(from: 12, through: 0, by: -4) {
      let nibble = UInt8(truncatingIfNeeded: v >> UInt16(shift)) & 15
      if nibble != 0 || started || shift == 0 {
        out.append(nibble < 10 ? 48 + nibble : 87 + nibble)
        started = true
      }
    }
  }
}

/// An address range in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`); a bare address is a
/// single-address range. Host bits past the prefix are ignored (`10.1.2.3/8` is `10.0.0.0/8`).
struct CIDRRange: Equatable, Sendable {
  let network: IPAddress
  let prefix: Int
  /// The top `prefix` bits of the family's width.
  let mask: UInt128

  init(network: IPAddress, prefix: Int) {
    self.network = network.network(prefix: prefix)
    self.prefix = prefix
    mask = IPAddress.mask(prefix: prefix, width: network.bitWidth)
  }

  /// Nil when the text is not an address, optionally followed by `/` and a prefix length
  /// (decimal, no sign or leading zero, at most 32 for IPv4 and 128 for IPv6).
  static func parse(_ text: UnsafeBufferPointer<UInt8>) -> CIDRRange? {
    var slash = -1
    for i in 0..<text.count where text[i] == UInt8(ascii: "/") {
      slash = i
      break
    }
    let addressEnd = slash >= 0 ? slash : text.count
    guard let address = IPAddress.parse(text, 0, addressEnd) else { return nil }
    var prefix = address.bitWidth
    if slash >= 0 {
      let digits = text.count - slash - 1
      guard digits >= 1, digits <= 3, digits == 1 || text[slash + 1] != UInt8(ascii: "0") else { return nil }
      prefix = 0
      for i in slash + 1..<text.count {
        let digit = text[i] &- UInt8(ascii: "0")
        guard digit <= 9 else { return nil }
        prefix = prefix * 10 + Int(digit)
      }
      guard prefix <= address.bitWidth else { return nil }
    }
    return CIDRRange(network: address, prefix: prefix)
  }

  /// True when `address` is in the range; addresses of the other family never are.
  @inline(__always) func contains(_ address: IPAddress) -> Bool {
    guard address.isV4 == network.isV4 else { return false }
    return address.value & mask == network.value
  }
}
