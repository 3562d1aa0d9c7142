#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// `~/.aws/config` and `~/.aws/credentials`, read as the AWS CLI reads them: `[default]` and
/// `[profile NAME]` sections in config, `[NAME]` in credentials; `#` and `;` comments; whitespace
/// around `=`; keys case-insensitive. A section repeated in a file merges, later keys winning;
/// for the same key, the credentials file wins over config.
public struct AWSConfigFiles: Sendable {
  /// Profile name → settings, from each file.
  var configProfiles: [String: [String: String]]
  var credentialsProfiles: [String: [String: String]]
  /// Where the files were looked for (for messages); nil when built from text.
  var configPath: String?
  var credentialsPath: String?

  /// Reads AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/config and
  /// ~/.aws/credentials, HOME from `environment`); missing or unreadable files are empty.
  public static func load(environment: [String: String]) -> AWSConfigFiles {
    let configPath = path(environment["AWS_CONFIG_FILE"], default: ".aws/config", environment: environment)
    let credentialsPath = path(
      environment["AWS_SHARED_CREDENTIALS_FILE"], default: ".aws/credentials", environment: environment)
    var files = AWSConfigFiles(
      configText: configPath.flatMap(readText) ?? "", credentialsText: credentialsPath.flatMap(readText) ?? "")
    files.configPath = configPath
    files.credentialsPath = credentialsPath
    return files
  }

  public init(configText: String, credentialsText: String) {
    configProfiles = Self.configProfiles(INIFile.sections(configText))
    credentialsProfiles = [:]
    for section in INIFile.sections(credentialsText) {
      credentialsProfiles[section.name, default: [:]].merge(section.values) { $1 }
    }
  }

  /// Settings of a profile (keys lowercased), credentials file values overriding config values
  /// for the same key; nil when neither file has the profile.
  public func profile(_ name: String) -> [String: String]? {
    let config = configProfiles[name]
    let credentials = credentialsProfiles[name]
    guard config != nil || credentials != nil else { return nil }
    return (config ?? [:]).merging(credentials ?? [:]) { $1 }
  }

  /// Every profile either file defines, sorted.
  public var profileNames: [String] {
    Set(configProfiles.keys).union(credentialsProfiles.keys).sorted()
  }

  /// The files, for messages: "~/.aws/config and ~/.aws/credentials" as looked for.
  var locations: String {
    [configPath, credentialsPath].compactMap { $0 }.joined(separator: " and ")
  }

  /// In config, `[profile NAME]` names a profile and `[default]` the default one; other sections
  /// (`[sso-session x]`, `[services x]`, a bare `[x]`) are not profiles. `[profile default]` wins
  /// over `[default]`, as the SDKs' shared-config spec says.
  static func configProfiles(_ sections: [INIFile.Section]) -> [String: [String: String]] {
    var bareDefault: [String: String] = [:]
    var profiles: [String: [String: String]] = [:]
    for section in sections {
      let words = section.name.split(whereSeparator: { $0 == " " || $0 == "\t" })
      if section.name == "default" {
        bareDefault.merge(section.values) { $1 }
      } else if words.count == 2, words[0] == "profile" {
        profiles[String(words[1]), default: [:]].merge(section.values) { $1 }
      }
    }
    if !bareDefault.isEmpty || profiles["default"] != nil {
      profiles["default"] = bareDefault.merging(profiles["default"] ?? [:]) { $1 }
    }
    return profiles
  }

  /// An explicit path (with `~/` expanded) or HOME + `relative`; nil without either.
  static func path(_ explicit: String?, default relative: String, environment: [String: String]) -> String? {
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
    if let explicit, !explicit.isEmpty {
      if explicit == "~" { return home }
      if explicit.hasPrefix("~/"), let home { return home + explicit.dropFirst(1) }
      return explicit
    }
    return home.map { $0.hasSuffix("/") ? $0 + relative : $0 + "/" + relative }
  }

  static func readText(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
  }
}
