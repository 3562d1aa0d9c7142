import Testing

@testable import ObjectStore

/// SigV4 against AWS's published examples. The four S3 examples (GET Object, PUT Object, GET
/// Bucket Lifecycle, GET Bucket / List Objects) and the two sigv4 test-suite vectors (get-vanilla,
/// get-vanilla-query-order-key-case) carry AWS's published signatures. Cases with no published
/// vector carry signatures computed by botocore 1.44.5 (`botocore.auth.S3SigV4Auth`'s
/// canonical_request / string_to_sign / signature with `request.context['timestamp']` pinned),
/// which also reproduced every published value above.
struct SigV4Tests {
  /// The S3 documentation's example credentials.
  static let docCredentials = AWSCredentials(
    accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
  /// 2013-05-24T00:00:00Z, the S3 examples' date.
  static let docTime = 1_369_353_600.0
  static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

  static func signed(
    _ method: String, _ url: String, headers: [(name: String, value: String)] = [],
    credentials: AWSCredentials = docCredentials, region: String = "us-east-1", payloadHash: String = emptyHash,
    time: Double = docTime
  ) -> HTTPRequest {
    var request = HTTPRequest(method: method, url: url, headers: headers)
    SigV4.sign(&request, credentials: credentials, region: region, service: "s3", payloadHash: payloadHash, time: time)
    return request
  }

  static func authorization(_ scope: String, _ signedHeaders: String, _ signature: String) -> String {
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/\(scope)/s3/aws4_request, SignedHeaders=\(signedHeaders), Signature=\(signature)"
  }

  // MARK: AWS's S3 examples ("Signature Calculations for the Authorization Header")

  @Test func getObjectWithRange() {
    let request = Self.signed(
      "GET", "https://examplebucket.s3.amazonaws.com/test.txt", headers: [("Range", "bytes=0-9")])
    #expect(request.firstHeader("X-Amz-Date") == "20130524T000000Z")
    #expect(request.firstHeader("X-Amz-Content-Sha256") == Self.emptyHash)
    #expect(request.firstHeader("X-Amz-Security-Token") == nil)
    #expect(
      request.firstHeader("Authorization")
        == Self.authorization(
          "20130524/us-east-1", "host;range;x-amz-content-sha256;x-amz-date",
          "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"))
  }

  /// The example's published intermediate steps: canonical request and string to sign.
  @Test func getObjectIntermediateSteps() {
    let canonical = SigV4.canonicalRequest(
      method: "GET", url: "https://examplebucket.s3.amazonaws.com/test.txt",
      headers: [("Range", "bytes=0-9"), ("x-amz-content-sha256", Self.emptyHash), ("x-amz-date", "20130524T000000Z")],
      payloadHash: Self.emptyHash)
    #expect(
      canonical.text == """
        GET
        /test.txt

        host:examplebucket.s3.amazonaws.com
        range:bytes=0-9
        x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        x-amz-date:20130524T000000Z

        host;range;x-amz-content-sha256;x-amz-date
        e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        """)
    #expect(
      SigV4.stringToSign(
        dateTime: "20130524T000000Z", scope: "20130524/us-east-1/s3/aws4_request", canonicalRequest: canonical.text)
          == """
          AWS4-HMAC-SHA256
          20130524T000000Z
          20130524/us-east-1/s3/aws4_request
          7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
          """)
  }

  @Test func putObject() {
    let body = Array("Welcome to Amazon S3.".utf8)
    let hash = SigV4.sha256Hex(body)
    #expect(hash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
    let request = Self.signed(
      "PUT", "https://examplebucket.s3.amazonaws.com/test%24file.text",
      headers: [("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY")],
      payloadHash: hash)
    #expect(
      request.firstHeader("Authorization")
        == Self.authorization(
          "20130524/us-east-1", "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
          "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"))
  }

  @Test func getBucketLifecycle() {
    let request = Self.signed("GET", "https://examplebucket.s3.amazonaws.com/?lifecycle")
    #expect(
      request.firstHeader("Authorization")
        == Self.authorization(
          "20130524/us-east-1", "host;x-amz-content-sha256;x-amz-date",
          "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"))
  }

  @Test func listObjects() {
    let request = Self.signed("GET", "https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J")
    #expect(
      request.firstHeader("Authorization")
        == Self.authorization(
          "20130524/us-east-1", "host;x-amz-content-sha256;x-amz-date",
          "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"))
    // Parameter order in the URL does not matter: they are sorted.
    let swapped = Self.signed("GET", "https://examplebucket.s3.amazonaws.com/?prefix=J&max-keys=2")
    #expect(swapped.firstHeader("Authorization") == request.firstHeader("Authorization"))
  }

  // MARK: The sigv4 test suite (service "service", no payload-hash header)

  static let suiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

  static func suiteSignature(_ url: String) -> String {
    let canonical = SigV4.canonicalRequest(
      method: "GET", url: url, headers: [("X-Amz-Date", "20150830T123600Z")], payloadHash: emptyHash)
    let toSign = SigV4.stringToSign(
      dateTime: "20150830T123600Z", scope: "20150830/us-east-1/service/aws4_request", canonicalRequest: canonical.text)
    return SigV4.signature(
      secret: suiteSecret, date: "20150830", region: "us-east-1", service: "service", stringToSign: toSign)
  }

  @Test func suiteGetVanilla() {
    #expect(
      Self.suiteSignature("https://example.amazonaws.com/")
        == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
  }

  @Test func suiteGetVanillaQueryOrderKeyCase() {
    #expect(
      Self.suiteSignature("https://example.amazonaws.com/?Param2=value2&Param1=value1")
        == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
  }

  // MARK: Cases without a published vector (expected values from botocore, see above)

  /// 2024-01-02T03:04:05Z.
  static let laterTime = 1_704_164_645.0

  @Test func sessionTokenIsSentAndSigned() {
    let credentials = AWSCredentials(
      accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      sessionToken: "FQoGZXIvYXdzEXAMPLETOKEN+/=")
    let request = Self.signed(
      "GET", "https://examplebucket.s3.eu-west-1.amazonaws.com/data/part-0.parquet", credentials: credentials,
      region: "eu-west-1", payloadHash: "UNSIGNED-PAYLOAD", time: Self.laterTime)
    #expect(request.firstHeader("X-Amz-Security-Token") == "FQoGZXIvYXdzEXAMPLETOKEN+/=")
    #expect(request.firstHeader("X-Amz-Content-Sha256") == "UNSIGNED-PAYLOAD")
    #expect(
      request.firstHeader("Authorization")
        == Self.authorization(
          "20240102/eu-west-1", "host;x-amz-content-sha256;x-amz-date;x-amz-security-token",
          "a907ed01056e34a0297bd6fd451424acd00a71318f85eca4f410c3a1699f05d9"))
  }

  /// Space, `=`, `/`, non-ASCII and an empty value; botocore was given the decoded parameters
  /// (prefix "dir one/a=b/é☃", list-type "2", continuation-token "", delimiter "/").
  @Test func queryParametersAreEncodedAndSorted() {
    let expected = Self.authorization(
      "20240102/us-west-2", "host;x-amz-content-sha256;x-amz-date",
      "492f400d2e5069da093a9a30e84907f447b5d0404bb45546e289b567947ced6d")
    let encoded = Self.signed(
      "GET",
      "https://examplebucket.s3.us-west-2.amazonaws.com/?prefix=dir%20one%2Fa%3Db%2F%C3%A9%E2%98%83&list-type=2&continuation-token=&delimiter=%2F",
      region: "us-west-2", time: Self.laterTime)
    #expect(encoded.firstHeader("Authorization") == expected)
    // Looser spellings of the same parameters (lowercase hex, bare `/`, no `=`) sign alike.
    let loose = Self.signed(
      "GET",
      "https://examplebucket.s3.us-west-2.amazonaws.com/?delimiter=/&continuation-token&list-type=2&prefix=dir%20one/a%3db/%c3%a9%e2%98%83",
      region: "us-west-2", time: Self.laterTime)
    #expect(loose.firstHeader("Authorization") == expected)
  }

  @Test func nonDefaultPortIsSignedInHost() {
    let request = Self.signed(
      "GET", "http://localhost:9000/bucket/key%20with%20space.txt", time: Self.laterTime)
    #expect(
      request.firstHeader("Authorization")
        == Self.authorization(
          "20240102/us-east-1", "host;x-amz-content-sha256;x-amz-date",
          "a713c9cc5814f810564c7ea992d03d3e831e875e529b6941b28e768aa959b516"))
  }

  @Test func hostHeaderKeepsOnlyNonDefaultPorts() {
    #expect(SigV4.ParsedURL("https://s3.amazonaws.com:443/b/k").hostHeader == "s3.amazonaws.com")
    #expect(SigV4.ParsedURL("http://minio:80/b").hostHeader == "minio")
    #expect(SigV4.ParsedURL("https://minio:9000").hostHeader == "minio:9000")
    #expect(SigV4.ParsedURL("http://user:pw@[::1]:9000/b?x=1#f").hostHeader == "[::1]:9000")
    #expect(SigV4.ParsedURL("http://[::1]/b").hostHeader == "[::1]")
    let parsed = SigV4.ParsedURL("http://h:1/a%20b/c?x=1&y#frag")
    #expect(parsed.path == "/a%20b/c")
    #expect(parsed.query == "x=1&y")
  }

  /// `User-Agent` is left unsigned; values are trimmed and inner whitespace runs collapsed.
  @Test func headersAreNormalized() {
    let request = Self.signed(
      "PUT", "https://examplebucket.s3.amazonaws.com/notes/a.txt",
      headers: [
        ("User-Agent", "avocet/1.0"), ("X-Amz-Meta-Note", "  two   spaces \t here  "), ("Content-Type", "text/plain"),
      ],
      payloadHash: "UNSIGNED-PAYLOAD", time: Self.laterTime)
    #expect(
      request.firstHeader("Authorization")
        == Self.authorization(
          "20240102/us-east-1", "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-meta-note",
          "afa884fd1792e30140fbeaca690bfcb6a1135c7c2a44745560088b7593cf19db"))
  }

  /// Per the spec, repeated headers are one canonical line with comma-separated values.
  @Test func repeatedHeadersAreJoined() {
    let canonical = SigV4.canonicalRequest(
      method: "get", url: "https://h.example/", headers: [("X-Amz-Meta-A", "1"), ("x-amz-meta-a", " 2 ")],
      payloadHash: "UNSIGNED-PAYLOAD")
    #expect(canonical.text == "GET\n/\n\nhost:h.example\nx-amz-meta-a:1,2\n\nhost;x-amz-meta-a\nUNSIGNED-PAYLOAD")
  }

  @Test func signingAgainReplacesTheSignature() {
    var request = Self.signed(
      "GET", "https://examplebucket.s3.amazonaws.com/test.txt", headers: [("Range", "bytes=0-9")])
    SigV4.sign(
      &request, credentials: Self.docCredentials, region: "us-east-1", service: "s3", payloadHash: Self.emptyHash,
      time: Self.docTime)
    for name in ["authorization", "x-amz-date", "x-amz-content-sha256"] {
      #expect(request.headers.filter { $0.name.lowercased() == name }.count == 1)
    }
    #expect(
      request.firstHeader("Authorization")?.hasSuffix(
        "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41") == true)
  }

  @Test func uriEncoding() {
    #expect(SigV4.uriEncode("a b/c=d~_-.é+*", encodeSlash: true) == "a%20b%2Fc%3Dd~_-.%C3%A9%2B%2A")
    #expect(SigV4.uriEncode("dir/sub dir/k", encodeSlash: false) == "dir/sub%20dir/k")
    #expect(SigV4.uriEncode("", encodeSlash: true) == "")
  }

  @Test func sha256() {
    #expect(SigV4.sha256Hex([]) == Self.emptyHash)
  }

  /// Expected values from Python's datetime.
  @Test(arguments: [
    (951_786_061.9, "20000229T010101Z"), (4_102_444_799, "20991231T235959Z"), (1_709_164_800, "20240229T000000Z"),
    (0, "19700101T000000Z"), (-1, "19691231T235959Z"),
  ])
  func timestamps(time: Double, expected: String) {
    let stamp = SigV4.Timestamp(time)
    #expect(stamp.dateTime == expected)
    #expect(stamp.date == String(expected.prefix(8)))
  }
}
