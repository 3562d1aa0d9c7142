import Foundation
import ObjectStore
import Testing

/// The credential chain over a ``StubTransport``: no test reaches a network, a real ~/.aws or the
/// process environment.
struct CredentialChainTests {
  static let noFiles = AWSConfigFiles(configText: "", credentialsText: "")
  static let imds = "http://169.254.169.254"
  static let stsSecret = "stsSecret/Key+Example"
  static let stsToken = "IQoJb3JpZ2luX2VjE&token"
  static let containerSecret = "ecsSecret/Key+Example"
  static let containerToken = "ecs-session-token"

  /// An STS AssumeRoleWithWebIdentity answer, shaped as the real one (namespace, sibling
  /// elements, escaped characters).
  static let stsResponse = """
    <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
      <AssumeRoleWithWebIdentityResult>
        <SubjectFromWebIdentityToken>system:serviceaccount:ns:reader</SubjectFromWebIdentityToken>
        <AssumedRoleUser>
          <Arn>arn:aws:sts::123456789012:assumed-role/reader/my-session</Arn>
          <AssumedRoleId>AROAEXAMPLE:my-session</AssumedRoleId>
        </AssumedRoleUser>
        <Credentials>
          <SessionToken>IQoJb3JpZ2luX2VjE&amp;token</SessionToken>
          <SecretAccessKey>stsSecret/Key+Example</SecretAccessKey>
          <Expiration>2026-11-21T13:00:00Z</Expiration>
          <AccessKeyId>ASIASTSEXAMPLE000001</AccessKeyId>
        </Credentials>
        <Provider>oidc.eks.eu-west-1.amazonaws.com</Provider>
      </AssumeRoleWithWebIdentityResult>
      <ResponseMetadata><RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId></ResponseMetadata>
    </AssumeRoleWithWebIdentityResponse>
    """

  /// The JSON of the ECS endpoint (and, with "Code", of IMDS).
  static func credentialsJSON(keyID: String, code: String? = nil) -> String {
    """
    {\(code.map { "\"Code\": \"\($0)\", \"LastUpdated\": \"2026-11-21T13:00:00Z\", \"Type\": \"AWS-HMAC\"," } ?? "")
      "AccessKeyId": "\(keyID)", "SecretAccessKey": "\(containerSecret)", "Token": "\(containerToken)",
      "Expiration": "2026-11-21T19:15:30Z", "RoleArn": "arn:aws:iam::123456789012:role/task"}
    """
  }

  static let filesWithDefault = AWSConfigFiles(
    configText: "[default]\nregion = us-west-2\n[profile dev]\nregion = eu-central-1\n",
    credentialsText: """
      [default]
      aws_access_key_id = AKIAFILEDEFAULT00001
      aws_secret_access_key = fileSecretDefault
      [dev]
      aws_access_key_id = AKIAFILEDEV000000001
      aws_secret_access_key = fileSecretDev
      aws_session_token = fileTokenDev
      """)

  static func chain(
    _ environment: [String: String], files: AWSConfigFiles = noFiles, transport: StubTransport = StubTransport()
  ) -> CredentialChain {
    CredentialChain(environment: environment, transport: transport, files: files)
  }

  /// A file with `contents` in a fresh temporary directory.
  static func temporaryFile(_ contents: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-auth-\(UUID().uuidString)")
    try contents.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  /// Runs `body`, which must throw an ObjectStoreError, and returns it (nil when it does not throw).
  static func failure(_ body: () throws -> Void) -> ObjectStoreError? {
    do {
      try body()
      return nil
    } catch {
      return error as? ObjectStoreError
    }
  }

  /// A chain whose web identity is configured (a token file and a role), nothing else.
  static func webIdentityChain(_ transport: StubTransport) throws -> CredentialChain {
    let tokenFile = try temporaryFile("jwt")
    return chain(
      ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/reader"],
      transport: transport)
  }

  static func expectNoSecrets(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for secret in [stsSecret, "IQoJb3JpZ2luX2VjE", containerSecret, containerToken, "fileSecretDefault", "envSecret"] {
      #expect(!text.contains(secret), "leaked \(secret) in: \(text)", sourceLocation: sourceLocation)
    }
  }

  // MARK: Order

  @Test func environmentWinsOverEverything() throws {
    let transport = StubTransport()
    let tokenFile = try Self.temporaryFile("jwt")
    let chain = Self.chain(
      [
        "AWS_ACCESS_KEY_ID": "AKIAENVIRONMENT00001", "AWS_SECRET_ACCESS_KEY": "envSecret",
        "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/reader",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/x",
      ], files: Self.filesWithDefault, transport: transport)
    let resolved = try chain.resolve()
    #expect(resolved.source == "environment")
    #expect(resolved.credentials == AWSCredentials(accessKeyID: "AKIAENVIRONMENT00001", secretAccessKey: "envSecret"))
    #expect(transport.requests.isEmpty)
  }

  @Test func environmentWithSessionToken() throws {
    let resolved = try Self.chain([
      "AWS_ACCESS_KEY_ID": "ASIAENVIRONMENT00001", "AWS_SECRET_ACCESS_KEY": "envSecret",
      "AWS_SESSION_TOKEN": "envToken",
    ]).resolve()
    #expect(resolved.credentials.sessionToken == "envToken")
    #expect(resolved.credentials.expiration == nil)
  }

  @Test func halfConfiguredEnvironmentIsAnError() throws {
    let error = try #require(Self.failure { _ = try Self.chain(["AWS_SECRET_ACCESS_KEY": "envSecret"]).resolve() })
    #expect(error.code == .credentials)
    #expect(error.message.contains("AWS_ACCESS_KEY_ID"))
    Self.expectNoSecrets(String(describing: error))
  }

  @Test func sharedFilesWinOverWebIdentity() throws {
    let transport = StubTransport()
    let tokenFile = try Self.temporaryFile("jwt")
    let resolved = try Self.chain(
      ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/reader"],
      files: Self.filesWithDefault, transport: transport
    ).resolve()
    #expect(resolved.source == "shared-files:default")
    #expect(
      resolved.credentials == AWSCredentials(accessKeyID: "AKIAFILEDEFAULT00001", secretAccessKey: "fileSecretDefault"))
    #expect(transport.requests.isEmpty)
  }

  @Test func profileSelectedByAWSProfile() throws {
    let resolved = try Self.chain(["AWS_PROFILE": "dev"], files: Self.filesWithDefault).resolve()
    #expect(resolved.source == "shared-files:dev")
    #expect(
      resolved.credentials
        == AWSCredentials(
          accessKeyID: "AKIAFILEDEV000000001", secretAccessKey: "fileSecretDev", sessionToken: "fileTokenDev"))
  }

  @Test func missingNamedProfileIsAnError() throws {
    let error = try #require(
      Self.failure { _ = try Self.chain(["AWS_PROFILE": "prod"], files: Self.filesWithDefault).resolve() })
    #expect(error.code == .credentials)
    #expect(error.message.contains("shared-files:prod"))
    #expect(error.message.contains("'prod'"))
  }

  @Test func assumeRoleProfileIsReportedAsUnsupported() throws {
    let files = AWSConfigFiles(
      configText: "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = default\n",
      credentialsText: "")
    let transport = StubTransport()
    let error = try #require(
      Self.failure { _ = try Self.chain(["AWS_PROFILE": "admin"], files: files, transport: transport).resolve() })
    #expect(error.code == .credentials)
    #expect(error.message.contains("shared-files:admin"))
    #expect(error.message.contains("not supported"))
    // It must not fall through to instance metadata and act as another identity.
    #expect(transport.requests.isEmpty)
  }

  // MARK: Web identity

  @Test func webIdentityFromEnvironment() throws {
    let transport = StubTransport()
    transport.on("POST", "https://sts.eu-west-1.amazonaws.com/", body: Self.stsResponse)
    let tokenFile = try Self.temporaryFile("eyJhbGciOiJSUzI1NiJ9.payload.sig\n")
    let resolved = try Self.chain(
      [
        "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/reader",
        "AWS_ROLE_SESSION_NAME": "my-session", "AWS_REGION": "eu-west-1",
      ], transport: transport
    ).resolve()
    #expect(resolved.source == "web-identity")
    #expect(
      resolved.credentials
        == AWSCredentials(
          accessKeyID: "ASIASTSEXAMPLE000001", secretAccessKey: Self.stsSecret, sessionToken: Self.stsToken,
          expiration: 1_795_266_000))

    let request = try #require(transport.requests.first)
    #expect(transport.requests.count == 1)
    #expect(request.method == "POST")
    #expect(request.firstHeader("Authorization") == nil)
    #expect(request.firstHeader("Content-Type")?.hasPrefix("application/x-www-form-urlencoded") == true)
    let parameters = Set(request.bodyString.split(separator: "&").map(String.init))
    #expect(
      parameters == [
        "Action=AssumeRoleWithWebIdentity", "Version=2011-06-15",
        "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Freader", "RoleSessionName=my-session",
        "WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.payload.sig",
      ])
  }

  @Test func webIdentityFromProfile() throws {
    let tokenFile = try Self.temporaryFile("profile-jwt")
    let files = AWSConfigFiles(
      configText: """
        [profile irsa]
        region = ap-southeast-2
        role_arn = arn:aws:iam::123456789012:role/irsa
        web_identity_token_file = \(tokenFile)
        role_session_name = from-profile
        """, credentialsText: "")
    let transport = StubTransport()
    transport.on("POST", "https://sts.ap-southeast-2.amazonaws.com/", body: Self.stsResponse)
    let resolved = try Self.chain(["AWS_PROFILE": "irsa"], files: files, transport: transport).resolve()
    #expect(resolved.source == "web-identity")
    #expect(resolved.credentials.accessKeyID == "ASIASTSEXAMPLE000001")
    let body = try #require(transport.requests.first?.bodyString)
    #expect(body.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Firsa"))
    #expect(body.contains("WebIdentityToken=profile-jwt"))
    #expect(body.contains("RoleSessionName=from-profile"))
  }

  @Test func webIdentityEndpoints() throws {
    let tokenFile = try Self.temporaryFile("jwt")
    let base = ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/reader"]
    let cases: [([String: String], String)] = [
      ([:], "https://sts.amazonaws.com/"),
      (["AWS_DEFAULT_REGION": "cn-north-1"], "https://sts.cn-north-1.amazonaws.com.cn/"),
      (["AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL": "http://localhost:4566"], "http://localhost:4566/"),
      (
        ["AWS_ENDPOINT_URL": "http://localhost:4566", "AWS_ENDPOINT_URL_STS": "https://sts.internal.example/sts"],
        "https://sts.internal.example/sts"
      ),
    ]
    for (extra, url) in cases {
      let transport = StubTransport()
      transport.on("POST", url, body: Self.stsResponse)
      let resolved = try Self.chain(base.merging(extra) { $1 }, transport: transport).resolve()
      #expect(resolved.source == "web-identity")
      #expect(transport.requests.map(\.url) == [url])
    }
  }

  @Test func webIdentityDefaultSessionName() throws {
    let transport = StubTransport()
    transport.on("POST", "https://sts.amazonaws.com/", body: Self.stsResponse)
    _ = try Self.webIdentityChain(transport).resolve()
    #expect(transport.requests.first?.bodyString.contains("RoleSessionName=avocet-") == true)
  }

  @Test func stsErrorNamesWebIdentity() throws {
    let transport = StubTransport()
    transport.on(
      "POST", "https://sts.amazonaws.com/", status: 400,
      body: """
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>
          <Message>No OpenIDConnect provider found in your account for https://oidc.example</Message></Error>
          <RequestId>c2b3a1f0-0000-0000-0000-EXAMPLE</RequestId>
        </ErrorResponse>
        """)
    let chain = try Self.webIdentityChain(transport)
    let error = try #require(Self.failure { _ = try chain.resolve() })
    #expect(error.code == .credentials)
    #expect(error.status == 400)
    #expect(error.message.hasPrefix("web-identity:"))
    #expect(error.message.contains("InvalidIdentityToken: No OpenIDConnect provider found"))
    // A configured provider that fails stops the chain: no fall-through to IMDS.
    #expect(transport.requests.count == 1)
  }

  @Test func stsAnswerWithoutKeyIDIsInvalidAndKeepsTheSecretOut() throws {
    let transport = StubTransport()
    transport.on(
      "POST", "https://sts.amazonaws.com/",
      body: Self.stsResponse.replacingOccurrences(of: "<AccessKeyId>ASIASTSEXAMPLE000001</AccessKeyId>", with: ""))
    let chain = try Self.webIdentityChain(transport)
    let error = try #require(Self.failure { _ = try chain.resolve() })
    #expect(error.code == .invalidResponse)
    #expect(error.message.contains("web-identity"))
    #expect(error.message.contains("AccessKeyId"))
    Self.expectNoSecrets(String(describing: error))
  }

  @Test func unreadableTokenFileNamesWebIdentity() throws {
    let error = try #require(
      Self.failure {
        _ = try Self.chain([
          "AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent/avocet/token",
          "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/r",
        ]).resolve()
      })
    #expect(error.code == .credentials)
    #expect(error.message.hasPrefix("web-identity:"))
    #expect(error.message.contains("/nonexistent/avocet/token"))
  }

  @Test func webIdentityWinsOverContainer() throws {
    let transport = StubTransport()
    transport.on("POST", "https://sts.amazonaws.com/", body: Self.stsResponse)
    let tokenFile = try Self.temporaryFile("jwt")
    let resolved = try Self.chain(
      [
        "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/reader",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/x",
      ], transport: transport
    ).resolve()
    #expect(resolved.source == "web-identity")
  }

  // MARK: Containers

  @Test func containerRelativeURI() throws {
    let transport = StubTransport()
    transport.on(
      "GET", "http://169.254.170.2/v2/credentials/0f1e2d", body: Self.credentialsJSON(keyID: "ASIAECS0000000000001"))
    let resolved = try Self.chain(
      ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/0f1e2d"], transport: transport
    )
    .resolve()
    #expect(resolved.source == "ecs")
    #expect(
      resolved.credentials
        == AWSCredentials(
          accessKeyID: "ASIAECS0000000000001", secretAccessKey: Self.containerSecret, sessionToken: Self.containerToken,
          expiration: 1_795_288_530))
    #expect(transport.requests.count == 1)
    #expect(transport.requests.first?.firstHeader("Authorization") == nil)
  }

  @Test func containerFullURIWithAuthorizationToken() throws {
    let transport = StubTransport()
    transport.on(
      "GET", "http://169.254.170.23/v1/credentials", body: Self.credentialsJSON(keyID: "ASIAPODIDENTITY00001"))
    let resolved = try Self.chain(
      [
        "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Basic c2VjcmV0",
      ], transport: transport
    ).resolve()
    #expect(resolved.source == "ecs")
    #expect(resolved.credentials.accessKeyID == "ASIAPODIDENTITY00001")
    #expect(transport.requests.first?.firstHeader("Authorization") == "Basic c2VjcmV0")
  }

  @Test func containerAuthorizationTokenFileWins() throws {
    let transport = StubTransport()
    transport.on("GET", "http://127.0.0.1:8080/creds", body: Self.credentialsJSON(keyID: "ASIALOCAL00000000001"))
    let tokenFile = try Self.temporaryFile("token-from-file\n")
    _ = try Self.chain(
      [
        "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:8080/creds",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN": "token-from-env", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
      ], transport: transport
    ).resolve()
    #expect(transport.requests.first?.firstHeader("Authorization") == "token-from-file")
  }

  @Test func containerFullURIMustBeLocalOrHTTPS() throws {
    let transport = StubTransport()
    let error = try #require(
      Self.failure {
        _ = try Self.chain(
          [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://evil.example/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "t",
          ],
          transport: transport
        ).resolve()
      })
    #expect(error.code == .credentials)
    #expect(error.message.hasPrefix("ecs:"))
    #expect(transport.requests.isEmpty)
  }

  @Test func containerTokenWithLineBreakIsRefused() throws {
    let transport = StubTransport()
    let error = try #require(
      Self.failure {
        _ = try Self.chain(
          [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:8080/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "token\r\nX-Injected: 1",
          ], transport: transport
        ).resolve()
      })
    #expect(error.code == .credentials)
    #expect(error.message.contains("line break"))
    #expect(transport.requests.isEmpty)
  }

  @Test func containerServerErrorNamesECS() throws {
    let transport = StubTransport()
    transport.on(
      "GET", "http://169.254.170.2/v2/credentials/x", status: 500,
      body: #"{"code": "InternalError", "message": "task role unavailable"}"#)
    let error = try #require(
      Self.failure {
        _ = try Self.chain(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/x"], transport: transport)
          .resolve()
      })
    #expect(error.code == .credentials)
    #expect(error.status == 500)
    #expect(error.message.hasPrefix("ecs:"))
    #expect(error.message.contains("InternalError: task role unavailable"))
    // The relative URI works as a key: it stays out of messages.
    #expect(!String(describing: error).contains("/v2/credentials/x"))
    #expect(transport.requests.count == 1)
  }

  @Test func containerWinsOverInstanceMetadata() throws {
    let transport = StubTransport()
    transport.on(
      "GET", "http://169.254.170.2/v2/credentials/x", body: Self.credentialsJSON(keyID: "ASIAECS0000000000001"))
    Self.routeInstanceMetadata(transport, endpoint: Self.imds)
    let resolved = try Self.chain(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/x"], transport: transport)
      .resolve()
    #expect(resolved.source == "ecs")
    #expect(transport.requests.allSatisfy { !$0.url.hasPrefix(Self.imds) })
  }

  // MARK: Instance metadata

  static func routeInstanceMetadata(_ transport: StubTransport, endpoint: String) {
    transport.on("PUT", endpoint + "/latest/api/token", body: "imds-session-token")
    transport.on("GET", endpoint + "/latest/meta-data/iam/security-credentials/", body: "reader-role\n")
    transport.on(
      "GET", endpoint + "/latest/meta-data/iam/security-credentials/reader-role",
      body: credentialsJSON(keyID: "ASIAIMDS000000000001", code: "Success"))
  }

  @Test func instanceMetadataV2() throws {
    let transport = StubTransport()
    Self.routeInstanceMetadata(transport, endpoint: Self.imds)
    let resolved = try Self.chain([:], transport: transport).resolve()
    #expect(resolved.source == "imds")
    #expect(
      resolved.credentials
        == AWSCredentials(
          accessKeyID: "ASIAIMDS000000000001", secretAccessKey: Self.containerSecret, sessionToken: Self.containerToken,
          expiration: 1_795_288_530))

    let requests = transport.requests
    #expect(
      requests.map { "\($0.method) \($0.url)" } == [
        "PUT http://169.254.169.254/latest/api/token",
        "GET http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "GET http://169.254.169.254/latest/meta-data/iam/security-credentials/reader-role",
      ])
    #expect(requests.first?.firstHeader("X-aws-ec2-metadata-token-ttl-seconds") == "21600")
    for request in requests.dropFirst() {
      #expect(request.firstHeader("X-aws-ec2-metadata-token") == "imds-session-token")
    }
    #expect(requests.allSatisfy { $0.timeout == .seconds(1) })
  }

  @Test func instanceMetadataEndpointOverride() throws {
    let transport = StubTransport()
    Self.routeInstanceMetadata(transport, endpoint: "http://127.0.0.1:1338")
    let resolved = try Self.chain(["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1338/"], transport: transport)
      .resolve()
    #expect(resolved.source == "imds")
    #expect(transport.requests.count == 3)
    #expect(transport.requests.allSatisfy { $0.url.hasPrefix("http://127.0.0.1:1338/latest/") })
  }

  /// Where the token PUT is refused (405), the SDKs fall back to IMDSv1: no token header.
  @Test func instanceMetadataV1Fallback() throws {
    let transport = StubTransport()
    transport.on("PUT", Self.imds + "/latest/api/token", status: 405)
    transport.on("GET", Self.imds + "/latest/meta-data/iam/security-credentials/", body: "reader-role")
    transport.on(
      "GET", Self.imds + "/latest/meta-data/iam/security-credentials/reader-role",
      body: Self.credentialsJSON(keyID: "ASIAIMDS000000000001", code: "Success"))
    let resolved = try Self.chain([:], transport: transport).resolve()
    #expect(resolved.source == "imds")
    #expect(transport.requests.dropFirst().allSatisfy { $0.firstHeader("X-aws-ec2-metadata-token") == nil })
  }

  @Test func instanceMetadataDisabled() throws {
    let transport = StubTransport()
    Self.routeInstanceMetadata(transport, endpoint: Self.imds)
    let error = try #require(
      Self.failure { _ = try Self.chain(["AWS_EC2_METADATA_DISABLED": "true"], transport: transport).resolve() })
    #expect(error.code == .credentials)
    #expect(error.message.contains("imds (disabled by AWS_EC2_METADATA_DISABLED)"))
    #expect(transport.requests.isEmpty)
  }

  @Test func instanceMetadataWithoutRole() throws {
    let transport = StubTransport()
    transport.on("PUT", Self.imds + "/latest/api/token", body: "t")
    transport.on("GET", Self.imds + "/latest/meta-data/iam/security-credentials/", status: 404)
    let error = try #require(Self.failure { _ = try Self.chain([:], transport: transport).resolve() })
    #expect(error.code == .credentials)
    #expect(error.message.contains("imds (no IAM role attached to the instance)"))
  }

  @Test func instanceMetadataFailureCodeIsAnError() throws {
    let transport = StubTransport()
    transport.on("PUT", Self.imds + "/latest/api/token", body: "t")
    transport.on("GET", Self.imds + "/latest/meta-data/iam/security-credentials/", body: "reader-role")
    transport.on(
      "GET", Self.imds + "/latest/meta-data/iam/security-credentials/reader-role",
      body: Self.credentialsJSON(keyID: "ASIAIMDS000000000001", code: "AssumeRoleUnauthorizedAccess"))
    let error = try #require(Self.failure { _ = try Self.chain([:], transport: transport).resolve() })
    #expect(error.code == .credentials)
    #expect(error.message.hasPrefix("imds:"))
    #expect(error.message.contains("AssumeRoleUnauthorizedAccess"))
    Self.expectNoSecrets(String(describing: error))
  }

  @Test func nothingConfiguredListsEveryProvider() throws {
    let transport = StubTransport()
    transport.on("PUT", Self.imds + "/latest/api/token", .failure(ObjectStoreError(.network, "connection refused")))
    let error = try #require(Self.failure { _ = try Self.chain([:], transport: transport).resolve() })
    #expect(error.code == .credentials)
    for tried in [
      "environment", "shared-files:default", "web-identity", "ecs", "imds (not reachable at http://169.254.169.254)",
    ] {
      #expect(error.message.contains(tried), "\(tried) missing from: \(error.message)")
    }
    #expect(transport.requests.count == 1)
    #expect(transport.requests.first?.timeout == .seconds(1))
  }

  @Test func instanceMetadataTimeoutIsJustUnavailable() throws {
    let transport = StubTransport()
    transport.on("PUT", Self.imds + "/latest/api/token", .failure(ObjectStoreError(.timeout, "no answer within 1 s")))
    let error = try #require(Self.failure { _ = try Self.chain([:], transport: transport).resolve() })
    #expect(error.code == .credentials)
    #expect(error.message.contains("imds (not reachable"))
  }

  // MARK: Region

  @Test func regionPrecedence() {
    let files = Self.filesWithDefault
    #expect(
      Self.chain(["AWS_REGION": "eu-west-3", "AWS_DEFAULT_REGION": "eu-west-2"], files: files).region() == "eu-west-3")
    #expect(Self.chain(["AWS_REGION": "", "AWS_DEFAULT_REGION": "eu-west-2"], files: files).region() == "eu-west-2")
    #expect(Self.chain([:], files: files).region() == "us-west-2")
    #expect(Self.chain(["AWS_PROFILE": "dev"], files: files).region() == "eu-central-1")
    #expect(Self.chain([:]).region() == nil)
  }

  // MARK: Keeping secrets out of text

  @Test func credentialsTextNeverHoldsSecrets() {
    let credentials = AWSCredentials(
      accessKeyID: "ASIAIOSFODNN7EXAMPLE", secretAccessKey: Self.stsSecret, sessionToken: Self.stsToken,
      expiration: 1_795_266_000)
    #expect(credentials.description == "ASIA…MPLE (with session token)")
    #expect(AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x").description == "AKIA…MPLE")
    var dumped = ""
    dump(credentials, to: &dumped)
    for text in [String(describing: credentials), String(reflecting: credentials), "\(credentials)", dumped] {
      #expect(!text.contains(Self.stsSecret))
      #expect(!text.contains("IQoJb3JpZ2luX2VjE"))
      #expect(!text.contains("ASIAIOSFODNN7EXAMPLE"))
    }
  }

  @Test func expiry() {
    let temporary = AWSCredentials(accessKeyID: "a", secretAccessKey: "b", sessionToken: "c", expiration: 1000)
    #expect(temporary.expires(within: 300, of: 700))
    #expect(!temporary.expires(within: 300, of: 600))
    #expect(!AWSCredentials(accessKeyID: "a", secretAccessKey: "b").expires(within: 300, of: 1e12))
  }
}
