import Foundation
import ObjectStore
import Testing

struct AWSConfigFilesTests {
  static let config = """
    # comment
    ; another comment
    [default]
    region = us-east-1
    output=json

    [profile dev]
    region   =   eu-west-1   # inline comment after whitespace
    \taws_access_key_id=AKIACONFIGDEV00000001
    s3 =
      addressing_style = path
      max_concurrent_requests = 4
    Role_ARN = arn:aws:iam::123456789012:role/x;not-a-comment

    [plain]
    region = ap-south-1

    [sso-session corp]
    sso_region = us-east-1

    [profile dev]
    output = text
    """

  static let credentials = """
    [default]
    aws_access_key_id = AKIADEFAULT000000001
    aws_secret_access_key = secret/default+KEY

    [dev]
    aws_access_key_id = AKIACREDSDEV00000001
    aws_secret_access_key = secret-dev
    aws_session_token = token-dev==

    [plain]
    aws_access_key_id = AKIAPLAIN00000000001
    """

  let files = AWSConfigFiles(configText: Self.config, credentialsText: Self.credentials)

  @Test func defaultProfileMergesBothFiles() {
    #expect(
      files.profile("default") == [
        "region": "us-east-1", "output": "json", "aws_access_key_id": "AKIADEFAULT000000001",
        "aws_secret_access_key": "secret/default+KEY",
      ])
  }

  @Test func namedProfileFromConfigAndCredentials() throws {
    let dev = try #require(files.profile("dev"))
    #expect(dev["region"] == "eu-west-1")
    // The credentials file wins for the same key.
    #expect(dev["aws_access_key_id"] == "AKIACREDSDEV00000001")
    #expect(dev["aws_secret_access_key"] == "secret-dev")
    #expect(dev["aws_session_token"] == "token-dev==")
    // A repeated section merges; keys are lowercased; `;` without whitespace before it is data.
    #expect(dev["output"] == "text")
    #expect(dev["role_arn"] == "arn:aws:iam::123456789012:role/x;not-a-comment")
    #expect(dev["s3.addressing_style"] == "path")
    #expect(dev["s3.max_concurrent_requests"] == "4")
    #expect(dev["s3"] == "")
  }

  /// In config only `[profile x]` and `[default]` are profiles; in credentials `[x]` is.
  @Test func bareSectionsInConfigAreNotProfiles() {
    #expect(files.profile("plain") == ["aws_access_key_id": "AKIAPLAIN00000000001"])
    #expect(files.profile("corp") == nil)
    #expect(files.profile("sso-session corp") == nil)
    #expect(files.profileNames == ["default", "dev", "plain"])
  }

  @Test func unknownProfileIsNil() {
    #expect(files.profile("nope") == nil)
    #expect(AWSConfigFiles(configText: "", credentialsText: "").profile("default") == nil)
  }

  @Test func profileDefaultWinsOverBareDefault() {
    let files = AWSConfigFiles(
      configText: "[profile default]\nregion = us-west-2\n[default]\nregion = us-east-1\noutput = json\n",
      credentialsText: "")
    #expect(files.profile("default") == ["region": "us-west-2", "output": "json"])
  }

  @Test func crlfTabsAndMalformedLines() {
    let files = AWSConfigFiles(
      configText: "",
      credentialsText:
        "orphan = before any section\r\n[ spaced ]\r\n\taws_access_key_id\t=\tAKIA1\r\nno equals sign\r\n[broken\r\nregion = lost\r\n[ok]\r\nregion = kept\r\n"
    )
    #expect(files.profile("spaced") == ["aws_access_key_id": "AKIA1"])
    #expect(files.profile("ok") == ["region": "kept"])
    #expect(files.profileNames == ["ok", "spaced"])
  }

  @Test func loadReadsTheNamedFiles() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-auth-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try "[profile x]\nregion = eu-north-1\n".write(
      to: directory.appendingPathComponent("cfg"), atomically: true, encoding: .utf8)
    try "[x]\naws_access_key_id = AKIAX\n".write(
      to: directory.appendingPathComponent("creds"), atomically: true, encoding: .utf8)

    let explicit = AWSConfigFiles.load(environment: [
      "AWS_CONFIG_FILE": directory.appendingPathComponent("cfg").path,
      "AWS_SHARED_CREDENTIALS_FILE": directory.appendingPathComponent("creds").path,
    ])
    #expect(explicit.profile("x") == ["region": "eu-north-1", "aws_access_key_id": "AKIAX"])

    // Defaults under HOME, and `~/` expanded with HOME.
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent(".aws"), withIntermediateDirectories: true)
    try "[default]\nregion = sa-east-1\n".write(
      to: directory.appendingPathComponent(".aws/config"), atomically: true, encoding: .utf8)
    let home = AWSConfigFiles.load(environment: ["HOME": directory.path])
    #expect(home.profile("default") == ["region": "sa-east-1"])
    let tilde = AWSConfigFiles.load(environment: ["HOME": directory.path, "AWS_SHARED_CREDENTIALS_FILE": "~/creds"])
    #expect(tilde.profile("x") == ["aws_access_key_id": "AKIAX"])
  }

  @Test func missingFilesAreEmpty() {
    let files = AWSConfigFiles.load(environment: [
      "AWS_CONFIG_FILE": "/nonexistent/avocet/config", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/avocet/credentials",
    ])
    #expect(files.profileNames.isEmpty)
    #expect(AWSConfigFiles.load(environment: [:]).profileNames.isEmpty)
  }
}
