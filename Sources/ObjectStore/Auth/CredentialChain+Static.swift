/// Long-lived keys (or temporary ones someone else obtained) from the environment or the files.
extension CredentialChain {
  func fromEnvironment() throws(ObjectStoreError) -> Outcome {
    let keyID = variable("AWS_ACCESS_KEY_ID")
    let secret = variable("AWS_SECRET_ACCESS_KEY")
    switch (keyID, secret) {
    case (nil, nil):
      return .unavailable("AWS_ACCESS_KEY_ID not set")
    case (let keyID?, let secret?):
      return .found(
        AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: variable("AWS_SESSION_TOKEN")),
        source: "environment")
    case (nil, _?):
      throw ObjectStoreError(.credentials, "environment: AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
    case (_?, nil):
      throw ObjectStoreError(.credentials, "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
    }
  }

  /// The selected profile's static keys, or its web-identity role. A profile set up for a way of
  /// getting credentials that Avocet lacks (AssumeRole from another profile, SSO, a credential
  /// process) is an error: falling through to instance metadata would act as someone else.
  func fromSharedFiles() throws(ObjectStoreError) -> Outcome {
    let name = profileName
    let source = "shared-files:\(name)"
    guard let profile = files.profile(name) else {
      // Naming a profile that does not exist is a mistake worth stopping for; a missing default is not.
      if variable("AWS_PROFILE") != nil || variable("AWS_DEFAULT_PROFILE") != nil {
        throw ObjectStoreError(.credentials, "\(source): no profile '\(name)' in \(filesForMessages)")
      }
      return .unavailable("no profile '\(name)' in \(filesForMessages)")
    }
    func setting(_ key: String) -> String? { profile[key].flatMap { $0.isEmpty ? nil : $0 } }

    if let roleARN = setting("role_arn") {
      if let tokenFile = setting("web_identity_token_file") {
        return try assumeRoleWithWebIdentity(
          roleARN: roleARN, tokenFile: tokenFile, sessionName: setting("role_session_name"),
          origin: "profile '\(name)'")
      }
      throw ObjectStoreError(
        .credentials,
        "\(source): role_arn with source_profile or credential_source (AssumeRole) is not supported; "
          + "use AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a web identity token")
    }
    let keyID = setting("aws_access_key_id")
    let secret = setting("aws_secret_access_key")
    if let keyID, let secret {
      return .found(
        AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: setting("aws_session_token")),
        source: source)
    }
    if keyID != nil || secret != nil {
      throw ObjectStoreError(
        .credentials, "\(source): the profile has only one of aws_access_key_id and aws_secret_access_key")
    }
    if let unsupported = ["sso_session", "sso_start_url", "credential_process"].first(where: { setting($0) != nil }) {
      throw ObjectStoreError(
        .credentials, "\(source): \(unsupported) is not supported; use static keys or a web identity token")
    }
    return .unavailable("profile '\(name)' has no credentials")
  }

  var filesForMessages: String {
    files.locations.isEmpty ? "the AWS config files" : files.locations
  }
}
