/// The standard AWS credential chain, in the AWS SDKs' order. Each provider either yields
/// credentials, says why it does not apply, or — configured but failing — throws, so that a
/// broken setup is reported instead of silently using another identity.
public struct CredentialChain: Sendable {
  let environment: [String: String]
  let transport: any HTTPTransport
  let files: AWSConfigFiles

  /// `files` nil: read the shared files named by `environment` (see ``AWSConfigFiles/load(environment:)``).
  public init(environment: [String: String], transport: any HTTPTransport, files: AWSConfigFiles? = nil) {
    self.environment = environment
    self.transport = transport
    self.files = files ?? AWSConfigFiles.load(environment: environment)
  }

  /// What one provider found.
  enum Outcome {
    case found(AWSCredentials, source: String)
    /// Not configured or not reachable; the reason goes into the final error.
    case unavailable(String)
  }

  /// The first provider that yields credentials:
  /// 1. environment: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN);
  /// 2. the shared files' profile (AWS_PROFILE, default "default"): static keys, or role_arn +
  ///    web_identity_token_file through step 3;
  /// 3. web identity: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN → STS AssumeRoleWithWebIdentity;
  /// 4. ECS/EKS container credentials endpoint;
  /// 5. EC2 instance metadata (IMDSv2, falling back to v1 where the token call is refused).
  ///
  /// Returns the credentials and the provider's name ("environment", "shared-files:PROFILE",
  /// "web-identity", "ecs", "imds"). Throws `.credentials` listing what was tried when none
  /// applies, or the error of a configured provider that fails.
  public func resolve() throws(ObjectStoreError) -> (credentials: AWSCredentials, source: String) {
    let providers: [(name: String, run: () throws(ObjectStoreError) -> Outcome)] = [
      ("environment", fromEnvironment),
      ("shared-files:\(profileName)", fromSharedFiles),
      ("web-identity", fromWebIdentityEnvironment),
      ("ecs", fromContainer),
      ("imds", fromInstanceMetadata),
    ]
    var tried: [String] = []
    for provider in providers {
      switch try provider.run() {
      case .found(let credentials, let source): return (credentials, source)
      case .unavailable(let reason): tried.append("\(provider.name) (\(reason))")
      }
    }
    throw ObjectStoreError(.credentials, "no AWS credentials found; tried " + tried.joined(separator: ", "))
  }

  /// The region: AWS_REGION, AWS_DEFAULT_REGION, then the profile's `region`; nil when none.
  public func region() -> String? {
    if let region = variable("AWS_REGION") ?? variable("AWS_DEFAULT_REGION") { return region }
    guard let region = files.profile(profileName)?["region"], !region.isEmpty else { return nil }
    return region
  }

  /// AWS_PROFILE, the legacy AWS_DEFAULT_PROFILE, else "default".
  var profileName: String {
    variable("AWS_PROFILE") ?? variable("AWS_DEFAULT_PROFILE") ?? "default"
  }

  /// An environment variable; set to the empty string counts as unset, as in the SDKs.
  func variable(_ name: String) -> String? {
    guard let value = environment[name], !value.isEmpty else { return nil }
    return value
  }
}
