# Credentials from AWS STS: assume-role profiles (role_arn with source_profile
# or credential_source) and web identity (environment or profile). The two STS
# calls are written here by hand: a form POST in the query protocol, SigV4
# signed (AssumeRoleWithWebIdentity is unsigned), the XML answer read with xml2.

sts_version <- "2011-06-15"

# Call STS `action` with `params` (a named list of strings). `credentials` NULL
# sends the request unsigned. Returns the <Credentials> element's fields; an
# STS error is a `paws_credentials_error` naming its code.
sts_call <- function(action, params, region, credentials, source, global = FALSE) {
  endpoint <- service_endpoint("sts", "STS", region)
  if (global && !configured_endpoint("STS")) {
    # sts_regional_endpoints = legacy: the global endpoint, signed for us-east-1.
    endpoint <- "https://sts.amazonaws.com"
    region <- "us-east-1"
  }
  form <- c(list(Action = action, Version = sts_version), params)
  body <- paste0(
    vapply(names(form), aws_escape, ""), "=",
    vapply(as.character(unlist(form)), aws_escape, ""),
    collapse = "&"
  )
  url <- paste0(endpoint, "/")
  headers <- c(`Content-Type` = "application/x-www-form-urlencoded; charset=utf-8")
  if (!is.null(credentials)) {
    host <- split_url(url)$host
    signed <- sign_request(
      "POST", url, c(headers, Host = host), body, credentials, region, "sts"
    )
    headers <- signed$headers[tolower(names(signed$headers)) != "host"]
  }
  res <- credential_http("POST", url, headers, body)
  if (!is.null(res[["failure"]])) {
    stop(credentials_error(source, sprintf("STS %s at %s failed: %s", action, url, res[["failure"]])))
  }
  # The query protocol's reader: no DOCTYPE or entities, bounded nesting, UTF-8 only.
  doc <- tryCatch(query_read_xml(charToRaw(res[["body"]])), error = function(e) NULL)
  if (res[["status"]] != 200L) {
    code <- if (is.null(doc)) "" else xml_text_at(doc, "Error/Code")
    message <- if (is.null(doc)) "" else xml_text_at(doc, "Error/Message")
    stop(credentials_error(
      source,
      sprintf(
        "STS %s failed with %s (HTTP %s)%s", action, if (nzchar(code)) code else "an error",
        res[["status"]], if (nzchar(message)) paste0(": ", message) else ""
      ),
      sts_code = code
    ))
  }
  if (is.null(doc)) stop(credentials_error(source, sprintf("STS %s answer is not XML", action)))
  fields <- c("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration")
  out <- lapply(fields, function(f) xml_text_at(doc, paste0(action, "Result/Credentials/", f)))
  names(out) <- fields
  if (!nzchar(out$AccessKeyId) || !nzchar(out$SecretAccessKey)) {
    stop(credentials_error(source, sprintf("STS %s answer holds no credentials", action)))
  }
  new_credentials(
    out$AccessKeyId, out$SecretAccessKey, out$SessionToken,
    source = source,
    expiration = if (nzchar(out$Expiration)) parse_iso_time(out$Expiration, source)
  )
}

# The text at a path of local names below the root, ignoring namespaces; "" if absent.
xml_text_at <- function(doc, path) {
  steps <- strsplit(path, "/", fixed = TRUE)[[1]]
  xpath <- paste0("/*", paste0("/*[local-name()='", steps, "']", collapse = ""))
  node <- xml2::xml_find_first(doc, xpath)
  if (inherits(node, "xml_missing")) "" else xml2::xml_text(node)
}

# The endpoint of a credential service (STS, SSO, SSO OIDC): AWS_ENDPOINT_URL_<ID>,
# then AWS_ENDPOINT_URL, then AWS's regional host.
service_endpoint <- function(prefix, service_id, region, host = NULL) {
  value <- configured_endpoint(service_id)
  if (nzchar(value)) {
    return(sub("/+$", "", value))
  }
  if (is.null(region) || !nzchar(region)) region <- "us-east-1"
  suffix <- if (startsWith(region, "cn-")) "amazonaws.com.cn" else "amazonaws.com"
  sprintf("https://%s.%s.%s", host %||% prefix, region, suffix)
}

# The endpoint URL the environment sets for a service ("" for none).
configured_endpoint <- function(service_id) {
  if (tolower(Sys.getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) == "true") {
    return("")
  }
  var <- paste0("AWS_ENDPOINT_URL_", toupper(gsub("[^A-Za-z0-9]+", "_", service_id)))
  for (name in c(var, "AWS_ENDPOINT_URL")) {
    value <- Sys.getenv(name)
    if (nzchar(value)) {
      return(value)
    }
  }
  ""
}

# Regions whose STS calls go to the global endpoint when sts_regional_endpoints
# is "legacy" (botocore's list).
sts_legacy_global_regions <- c(
  "ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global",
  "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3",
  "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2"
)

# TRUE when STS calls for `region` use the global endpoint: config
# `sts_regional_endpoint`, else AWS_STS_REGIONAL_ENDPOINTS, else the profile's
# `sts_regional_endpoints`, is "legacy" (the default is "regional").
sts_global <- function(ctx, region) {
  mode <- ctx$sts_mode
  if (is.null(mode) && nzchar(Sys.getenv("AWS_STS_REGIONAL_ENDPOINTS"))) {
    mode <- Sys.getenv("AWS_STS_REGIONAL_ENDPOINTS")
  }
  mode <- mode %||% ctx$files$config[[ctx$profile %||% "default"]][["sts_regional_endpoints"]]
  identical(mode, "legacy") && region %in% sts_legacy_global_regions
}

default_session_name <- function() sprintf("pawsgen-session-%d", as.integer(Sys.time()))

# ---------------------------------------------------------------------------
# Assume role.

assume_role_provider <- function(profile, section, ctx, visited) {
  source <- sprintf("assume role (profile %s)", profile)
  has_source_profile <- is_string(section[["source_profile"]])
  has_credential_source <- is_string(section[["credential_source"]])
  if (has_source_profile == has_credential_source) {
    stop(credentials_error(source, paste(
      "the profile must have exactly one of source_profile and credential_source",
      "with role_arn"
    )))
  }
  if (is_string(section[["mfa_serial"]])) {
    stop(credentials_error(source, sprintf(
      paste(
        "the profile sets mfa_serial, which needs an MFA code typed at a prompt;",
        "pawsgen cannot prompt: get temporary credentials with the code",
        "(aws sts get-session-token) and use them instead"
      )
    ), mfa = TRUE))
  }
  params <- list(
    RoleArn = section[["role_arn"]],
    RoleSessionName = section[["role_session_name"]] %||% default_session_name()
  )
  if (is_string(section[["external_id"]])) params$ExternalId <- section[["external_id"]]
  if (is_string(section[["duration_seconds"]])) {
    seconds <- suppressWarnings(as.integer(section[["duration_seconds"]]))
    if (is.na(seconds)) stop(credentials_error(source, "duration_seconds must be a whole number"))
    params$DurationSeconds <- seconds
  }
  base <- if (has_source_profile) {
    source_profile_provider(profile, section[["source_profile"]], ctx, c(visited, profile))
  } else {
    credential_source_provider(section[["credential_source"]], ctx, source, profile)
  }
  region <- sts_region(section, ctx)
  # Deferred, as botocore: the first call fetches.
  new_provider(function() {
    sts_call(
      "AssumeRole", params, region, provider_credentials(base), source,
      global = sts_global(ctx, region)
    )
  }, source)
}

sts_region <- function(section, ctx) {
  ctx$region %||% section[["region"]] %||% "us-east-1"
}

# The credentials a source_profile stands for: a profile that assumes a role in
# turn (a chain), or the static keys and other sources of that profile. A
# profile naming itself as source uses its own static keys.
source_profile_provider <- function(profile, source_profile, ctx, visited) {
  source <- sprintf("assume role (profile %s)", profile)
  section <- ctx$files$config[[source_profile]]
  if (is.null(ctx$files$all[[source_profile]])) {
    stop(credentials_error(source, sprintf("source_profile %s does not exist", source_profile)))
  }
  if (source_profile %in% visited && source_profile != profile) {
    stop(credentials_error(source, sprintf(
      "source_profile loop: %s was already visited (%s)",
      source_profile, paste(visited, collapse = " -> ")
    )))
  }
  if (source_profile == profile) {
    creds <- file_credentials(
      ctx$files$credentials[[profile]],
      sprintf("the shared credentials file (profile %s)", profile)
    ) %||% file_credentials(section, sprintf("the config file (profile %s)", profile))
    if (is.null(creds)) {
      stop(credentials_error(source, "the profile is its own source_profile but has no keys"))
    }
    return(static_provider(creds))
  }
  if (!is.null(section[["role_arn"]]) && is.null(section[["web_identity_token_file"]])) {
    return(assume_role_provider(source_profile, section, ctx, visited))
  }
  provider <- profile_provider(source_profile, ctx, use_env = FALSE, visited = visited)
  if (is.null(provider)) {
    stop(credentials_error(source, sprintf(
      "source_profile %s holds no credentials", source_profile
    )))
  }
  provider
}

credential_source_provider <- function(name, ctx, source, profile) {
  provider <- switch(name,
    Environment = {
      env <- env_credentials()
      if (is.null(env)) NULL else static_provider(env)
    },
    Ec2InstanceMetadata = imds_provider(ctx, profile),
    EcsContainer = container_provider(),
    stop(credentials_error(source, sprintf(
      "credential_source %s is not one of Environment, Ec2InstanceMetadata, EcsContainer",
      dQuote(name, FALSE)
    )))
  )
  if (is.null(provider)) {
    stop(credentials_error(source, sprintf(
      "credential_source %s gave no credentials", name
    )))
  }
  provider
}

# ---------------------------------------------------------------------------
# Web identity: a token file and a role, from the environment or the profile.

web_identity_provider <- function(profile, section, ctx, use_env = TRUE) {
  # Each setting from the environment first, then the profile (botocore's order).
  setting <- function(var, key) {
    value <- if (use_env) Sys.getenv(var) else ""
    if (nzchar(value)) value else section[[key]]
  }
  token_file <- setting("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file")
  role_arn <- setting("AWS_ROLE_ARN", "role_arn")
  session_name <- setting("AWS_ROLE_SESSION_NAME", "role_session_name")
  where <- if (use_env && nzchar(Sys.getenv("AWS_WEB_IDENTITY_TOKEN_FILE"))) {
    "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)"
  } else {
    sprintf("web identity (profile %s)", profile)
  }
  if (!is_string(token_file)) {
    return(NULL)
  }
  if (!is_string(role_arn)) {
    stop(credentials_error(where, "a web identity token file is set but no role ARN"))
  }
  params <- list(RoleArn = role_arn, RoleSessionName = session_name %||% default_session_name())
  region <- sts_region(section, ctx)
  new_provider(function() {
    path <- path.expand(token_file)
    token <- tryCatch(
      paste(readLines(path, warn = FALSE), collapse = "\n"),
      error = function(e) NULL, warning = function(w) NULL
    )
    if (is.null(token)) stop(credentials_error(where, sprintf("cannot read token file %s", path)))
    sts_call(
      "AssumeRoleWithWebIdentity", c(params, WebIdentityToken = token), region, NULL, where,
      global = sts_global(ctx, region)
    )
  }, where)
}
