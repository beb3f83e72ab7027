# Credentials from IAM Identity Center (SSO): the token `aws sso login` cached
# in ~/.aws/sso/cache, refreshed through SSO OIDC CreateToken when it is about
# to expire (sso-session profiles only, as botocore), then the portal's
# GetRoleCredentials.

sso_login_hint <- "run 'aws sso login%s' to sign in again"
sso_token_refresh_seconds <- 15 * 60

has_sso_config <- function(section) {
  any(c("sso_session", "sso_start_url", "sso_account_id", "sso_role_name", "sso_region") %in%
    names(section))
}

sso_provider <- function(profile, section, ctx) {
  source <- sprintf("SSO (profile %s)", profile)
  hint_flag <- if (profile == "default") "" else sprintf(" --profile %s", profile)
  session_name <- section[["sso_session"]]
  settings <- section
  if (is_string(session_name)) {
    session <- ctx$files$sso[[session_name]]
    if (is.null(session)) {
      stop(credentials_error(source, sprintf(
        "sso_session %s has no [sso-session %s] section", session_name, session_name
      )))
    }
    for (key in c("sso_start_url", "sso_region")) {
      if (!is.null(section[[key]]) && !identical(section[[key]], session[[key]])) {
        stop(credentials_error(source, sprintf(
          "%s in the profile differs from the one in sso-session %s", key, session_name
        )))
      }
      settings[[key]] <- session[[key]]
    }
  }
  needed <- c("sso_start_url", "sso_region", "sso_account_id", "sso_role_name")
  missing <- needed[!vapply(needed, function(k) is_string(settings[[k]]), TRUE)]
  if (length(missing)) {
    stop(credentials_error(source, sprintf(
      "the profile lacks %s", paste(missing, collapse = ", ")
    )))
  }
  cache_key <- if (is_string(session_name)) session_name else settings[["sso_start_url"]]
  hint <- sprintf(sso_login_hint, hint_flag)
  new_provider(function() {
    token <- sso_token(cache_key, is_string(session_name), source, hint)
    sso_role_credentials(settings, token, source, hint)
  }, source)
}

sso_cache_file <- function(key) {
  file.path(
    path.expand("~"), ".aws", "sso", "cache",
    paste0(digest::digest(key, algo = "sha1", serialize = FALSE), ".json")
  )
}

# The cached access token; with an sso-session, refreshed when it expires
# within 15 minutes and the cache holds a refresh token and a live client
# registration. An expired token that cannot be refreshed is an error with
# the login hint.
sso_token <- function(cache_key, refreshable, source, hint) {
  path <- sso_cache_file(cache_key)
  cached <- tryCatch(
    jsonlite::fromJSON(path, simplifyVector = FALSE),
    error = function(e) NULL, warning = function(w) NULL
  )
  if (!is.list(cached) || !is_string(cached[["accessToken"]]) || !is_string(cached[["expiresAt"]])) {
    stop(credentials_error(source, sprintf("no SSO token is cached; %s", hint), sso_login = TRUE))
  }
  expires <- parse_iso_time(cached[["expiresAt"]], source)
  left <- as.numeric(difftime(expires, Sys.time(), units = "secs"))
  if (refreshable && left < sso_token_refresh_seconds && sso_can_refresh(cached)) {
    fresh <- tryCatch(sso_refresh_token(cached, source), paws_error = function(e) NULL)
    if (!is.null(fresh)) {
      jsonlite::write_json(fresh, path, auto_unbox = TRUE, pretty = TRUE)
      return(fresh[["accessToken"]])
    }
  }
  if (left <= 0) {
    stop(credentials_error(source, sprintf("the SSO token has expired; %s", hint), sso_login = TRUE))
  }
  cached[["accessToken"]]
}

sso_can_refresh <- function(cached) {
  if (!is_string(cached[["refreshToken"]]) || !is_string(cached[["clientId"]]) ||
    !is_string(cached[["clientSecret"]])) {
    return(FALSE)
  }
  if (is_string(cached[["registrationExpiresAt"]])) {
    until <- parse_iso_time(cached[["registrationExpiresAt"]], "SSO")
    if (until <= Sys.time()) {
      return(FALSE)
    }
  }
  TRUE
}

# SSO OIDC CreateToken with the refresh token: a new cache entry.
sso_refresh_token <- function(cached, source) {
  region <- cached[["region"]] %||% "us-east-1"
  url <- paste0(service_endpoint("oidc", "SSO OIDC", region), "/token")
  body <- jsonlite::toJSON(list(
    clientId = cached[["clientId"]], clientSecret = cached[["clientSecret"]],
    grantType = "refresh_token", refreshToken = cached[["refreshToken"]]
  ), auto_unbox = TRUE)
  res <- credential_http("POST", url, c(`Content-Type` = "application/json"), as.character(body))
  if (!is.null(res[["failure"]]) || res[["status"]] != 200L) {
    stop(credentials_error(source, "the SSO token refresh failed"))
  }
  answer <- jsonlite::fromJSON(res[["body"]], simplifyVector = FALSE)
  fresh <- cached
  fresh[["accessToken"]] <- answer[["accessToken"]]
  fresh[["expiresAt"]] <- format(Sys.time() + as.numeric(answer[["expiresIn"]]), "%Y-%m-%dT%H:%M:%SZ",
    tz = "UTC"
  )
  if (is_string(answer[["refreshToken"]])) fresh[["refreshToken"]] <- answer[["refreshToken"]]
  fresh
}

# The portal's GetRoleCredentials (GET, unsigned, bearer token in a header).
sso_role_credentials <- function(settings, token, source, hint) {
  url <- sprintf(
    "%s/federation/credentials?role_name=%s&account_id=%s",
    service_endpoint("sso", "SSO", settings[["sso_region"]], host = "portal.sso"),
    aws_escape(settings[["sso_role_name"]]), aws_escape(settings[["sso_account_id"]])
  )
  res <- credential_http("GET", url, c(`x-amz-sso_bearer_token` = token))
  if (!is.null(res[["failure"]])) {
    stop(credentials_error(source, sprintf("GetRoleCredentials failed: %s", res[["failure"]])))
  }
  if (res[["status"]] == 401L || res[["status"]] == 403L) {
    stop(credentials_error(source, sprintf(
      "the SSO session has expired or is invalid; %s", hint
    ), sso_login = TRUE))
  }
  answer <- tryCatch(jsonlite::fromJSON(res[["body"]], simplifyVector = FALSE), error = function(e) NULL)
  if (res[["status"]] != 200L) {
    code <- if (is.list(answer)) answer$`__type` %||% answer[["Type"]] %||% "" else ""
    stop(credentials_error(source, sprintf(
      "GetRoleCredentials failed with %s (HTTP %s)", if (nzchar(code)) code else "an error",
      res[["status"]]
    )))
  }
  role <- answer[["roleCredentials"]]
  if (!is.list(role)) stop(credentials_error(source, "GetRoleCredentials gave no credentials"))
  new_credentials(
    role[["accessKeyId"]], role[["secretAccessKey"]], role[["sessionToken"]],
    source = source,
    expiration = as.POSIXct(as.numeric(role[["expiration"]]) / 1000, origin = "1970-01-01", tz = "UTC")
  )
}
