#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// STS AssumeRoleWithWebIdentity with a token file: EKS IRSA, GitHub Actions OIDC and the like.
/// The call is unsigned; the token is the proof.
extension CredentialChain {
  func fromWebIdentityEnvironment() throws(ObjectStoreError) -> Outcome {
    guard let tokenFile = variable("AWS_WEB_IDENTITY_TOKEN_FILE") else {
      return .unavailable("AWS_WEB_IDENTITY_TOKEN_FILE not set")
    }
    guard let roleARN = variable("AWS_ROLE_ARN") else {
      return .unavailable("AWS_WEB_IDENTITY_TOKEN_FILE set but AWS_ROLE_ARN not")
    }
    return try assumeRoleWithWebIdentity(
      roleARN: roleARN, tokenFile: tokenFile, sessionName: variable("AWS_ROLE_SESSION_NAME"), origin: "environment")
  }

  /// `origin` says where the settings came from ("environment", "profile 'x'"), for errors.
  func assumeRoleWithWebIdentity(
    roleARN: String, tokenFile: String, sessionName: String?, origin: String
  ) throws(ObjectStoreError) -> Outcome {
    guard let token = CredentialDocuments.readTrimmed(tokenFile), !token.isEmpty else {
      throw ObjectStoreError(.credentials, "web-identity: cannot read the token file \(tokenFile) (from the \(origin))")
    }
    let endpoint = stsEndpoint
    let parameters = [
      ("Action", "AssumeRoleWithWebIdentity"),
      ("Version", "2011-06-15"),
      ("RoleArn", roleARN),
      ("RoleSessionName", sessionName ?? "avocet-\(Int(Date().timeIntervalSince1970))"),
      ("WebIdentityToken", token),
    ]
    let body = parameters.map { "\($0.0)=\(SigV4.uriEncode($0.1, encodeSlash: true))" }.joined(separator: "&")
    let request = HTTPRequest(
      method: "POST", url: endpoint,
      headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")],
      body: Array(body.utf8), timeout: .seconds(30))
    let response: HTTPResponse
    do {
      response = try transport.send(request)
    } catch {
      throw ObjectStoreError(
        error.code, "web-identity: STS is not reachable: \(error.message)", location: endpoint, status: error.status)
    }
    guard response.status == 200 else {
      let text = response.bodyText[...]
      let detail = [S3XML.value("Code", in: text), S3XML.value("Message", in: text)].compactMap { $0 }
      throw ObjectStoreError(
        .credentials,
        "web-identity: STS AssumeRoleWithWebIdentity for \(roleARN) failed"
          + (detail.isEmpty ? "" : ": " + detail.joined(separator: ": ")),
        location: endpoint, status: response.status)
    }
    let credentials = try CredentialDocuments.stsCredentials(response.bodyText, provider: "web-identity")
    return .found(credentials, source: "web-identity")
  }

  /// AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL (unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS), else
  /// the regional endpoint (the global one without a region).
  var stsEndpoint: String {
    let ignoreOverrides = variable("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.lowercased() == "true"
    if !ignoreOverrides, let endpoint = variable("AWS_ENDPOINT_URL_STS") ?? variable("AWS_ENDPOINT_URL") {
      // A bare origin gets the root path the STS query API is served on.
      return SigV4.ParsedURL(endpoint).path.isEmpty ? endpoint + "/" : endpoint
    }
    guard let region = region() else { return "https://sts.amazonaws.com/" }
    return "https://sts.\(region).amazonaws.com\(region.hasPrefix("cn-") ? ".cn" : "")/"
  }
}
