import Columnar

// IP address functions over text columns. Addresses are parsed from the UTF-8 bytes in place
// (see ``IPAddress``): no allocation per row, and dictionary columns parse each entry once.

/// `is_valid_ip`, `is_ipv4`, `is_ipv6` (false for junk) and `is_private_ip` (NULL for junk).
struct IPTestKernel: ScalarFunctionKernel {
  enum Test: Sendable { case valid, v4, v6, isPrivate }

  let name: String
  let test: Test

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let test = self.test
    return try Kernels.mapEachStringToBoolean(name, arguments[0], others: [], rowCount: n) {
      (_, text) throws(ExecError) -> Bool? in
      let address = IPAddress.parse(text)
      switch test {
      case .valid: return address != nil
      case .v4: return address?.isV4 == true
      case .v6: return address.map { !$0.isV4 } ?? false
      case .isPrivate: return address?.isPrivate
      }
    }
  }
}

/// `ip_version(s)`: 4, 6, or NULL when the text is not an address.
struct IPVersionKernel: ScalarFunctionKernel {
  let name = "ip_version"

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    try Kernels.mapEachStringToInt64(name, arguments[0], others: [], rowCount: n) {
      (_, text) throws(ExecError) -> Int64? in
      IPAddress.parse(text).map { $0.isV4 ? 4 : 6 }
    }
  }
}

/// `ip_to_int(s)`: an IPv4 address as an integer (0 … 2³²−1); NULL for anything else.
struct IPToIntKernel: ScalarFunctionKernel {
  let name = "ip_to_int"

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    try Kernels.mapEachStringToInt64(name, arguments[0], others: [], rowCount: n) {
      (_, text) throws(ExecError) -> Int64? in
      IPAddress.parseV4(text, 0, text.count).map { Int64($0) }
    }
  }
}

/// `int_to_ip(n)`: the dotted quad of 0 … 2³²−1; NULL outside that range.
struct IntToIPKernel: ScalarFunctionKernel {
  let name = "int_to_ip"

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let input = arguments[0]
    if Kernels.isAllNull(input) { return .nulls(.string, count: n) }
    let values = try Kernels.integers(input, name)
    let validity = input.effectiveValidity
    var builder = StringBuilder(rows: n, validity: validity, byteCapacity: n * 15)
    for i in 0..<n {
      if validity?[i] ?? true {
        guard let v = UInt32(exactly: values[i]) else {
          builder.endNullRow(start: builder.bytes.count)
          continue
        }
        IPAddress.appendV4(v, to: &builder.bytes)
      }
      builder.endRow()
    }
    return try builder.finish(function: name)
  }
}

/// `cidr_contains(cidr, ip)`: whether the address is in the range. NULL when the address is not
/// valid; false across families (an IPv4 address is never in an IPv6 range, IPv4-mapped IPv6
/// addresses included). A constant range is parsed once when the function is bound; a range per
/// row that does not parse gives NULL.
struct CIDRContainsKernel: ScalarFunctionKernel {
  let name = "cidr_contains"
  /// The range, when the SQL wrote it as a constant.
  let range: CIDRRange?

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    if let range {
      return try Kernels.mapEachStringToBoolean(name, arguments[1], others: [arguments[0]], rowCount: n) {
        (_, text) throws(ExecError) -> Bool? in
        IPAddress.parse(text).map { range.contains($0) }
      }
    }
    let ranges = try Kernels.strings(arguments[0], name)
    return try ranges.withRows { (cidr) throws(ExecError) -> ColumnVector in
      try Kernels.mapEachStringToBoolean(name, arguments[1], others: [arguments[0]], rowCount: n) {
        (row, text) throws(ExecError) -> Bool? in
        guard let range = CIDRRange.parse(cidr[row]), let address = IPAddress.parse(text) else { return nil }
        return range.contains(address)
      }
    }
  }
}

/// `ip_network(ip, prefix)`: the network containing the address, in CIDR form
/// (`ip_network('10.1.2.3', 24)` is `'10.1.2.0/24'`; IPv6 in RFC 5952 form). NULL when the
/// address is not valid or the prefix is out of range for its family.
struct IPNetworkKernel: ScalarFunctionKernel {
  let name = "ip_network"

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let prefixes = try Kernels.integers(arguments[1], name)
    return try Kernels.mapEachString(name, arguments[0], others: [arguments[1]], rowCount: n) {
      (row, text, out) throws(ExecError) -> Bool in
      let prefix = prefixes[row]
      guard let address = IPAddress.parse(text), prefix >= 0, prefix <= Int64(address.bitWidth) else { return false }
      address.network(prefix: Int(prefix)).append(to: &out)
      out.append(UInt8(ascii: "/"))
      CivilTime.appendPadded(prefix, width: 1, to: &out)
      return true
    }
  }
}
