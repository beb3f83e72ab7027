# Credentials from the machine: the ECS/EKS container endpoint and EC2
# instance metadata (IMDSv2, with a fall-back to IMDSv1 as botocore has).

ecs_host <- "http://169.254.170.2"
ecs_allowed_hosts <- c("169.254.170.2", "169.254.170.23", "fd00:ec2::23", "[fd00:ec2::23]")
imds_ipv4 <- "http://169.254.169.254"
imds_ipv6 <- "http://[fd00:ec2::254]"
imds_roles_path <- "latest/meta-data/iam/security-credentials/"

# ---------------------------------------------------------------------------
# Container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (on ECS's
# link-local host) or _FULL_URI (loopback, ECS/EKS hosts or https), with an
# optional Authorization header from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or
# AWS_CONTAINER_AUTHORIZATION_TOKEN.

container_provider <- function() {
  relative <- Sys.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
  full <- Sys.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI")
  if (!nzchar(relative) && !nzchar(full)) {
    return(NULL)
  }
  source <- "container credentials"
  url <- if (nzchar(relative)) {
    paste0(ecs_host, if (startsWith(relative, "/")) "" else "/", relative)
  } else {
    check_container_url(full, source)
  }
  refreshing_provider(function() fetch_container_credentials(url, source), source)
}

check_container_url <- function(url, source) {
  parts <- tryCatch(split_url(url), paws_error = function(e) NULL)
  if (is.null(parts)) stop(credentials_error(source, "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL"))
  if (parts$scheme == "https") {
    return(url)
  }
  host <- sub(":[0-9]+$", "", parts$host)
  loopback <- grepl("^127\\.", host) || host %in% c("localhost", "[::1]")
  if (parts$scheme != "http" || !(loopback || host %in% ecs_allowed_hosts)) {
    stop(credentials_error(source, sprintf(
      "AWS_CONTAINER_CREDENTIALS_FULL_URI host %s is not allowed: use https, a loopback address or %s",
      host, paste(ecs_allowed_hosts[1:3], collapse = ", ")
    )))
  }
  url
}

container_token <- function(source) {
  file <- Sys.getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
  token <- if (nzchar(file)) {
    text <- tryCatch(readChar(file, file.info(file)$size, useBytes = TRUE),
      error = function(e) NULL, warning = function(w) NULL
    )
    if (is.null(text)) stop(credentials_error(source, sprintf("cannot read token file %s", file)))
    text
  } else if (nzchar(Sys.getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN"))) {
    Sys.getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN")
  }
  if (!is.null(token) && grepl("[\r\n]", token)) {
    stop(credentials_error(source, "the authorization token holds a line break"))
  }
  token
}

fetch_container_credentials <- function(url, source) {
  token <- container_token(source)
  headers <- c(Accept = "application/json")
  if (!is.null(token)) headers <- c(headers, Authorization = token)
  res <- NULL
  # As botocore: 2 s per try, 3 tries.
  for (try in 1:3) {
    res <- credential_http("GET", url, headers, timeout = 2)
    if (is.null(res[["failure"]]) && res[["status"]] < 500) break
  }
  if (!is.null(res[["failure"]])) {
    stop(credentials_error(source, sprintf("%s could not be reached: %s", url, res[["failure"]])))
  }
  if (res[["status"]] != 200L) {
    stop(credentials_error(source, sprintf("%s answered HTTP %s", url, res[["status"]])))
  }
  parse_metadata_credentials(res[["body"]], source)
}

parse_metadata_credentials <- function(body, source) {
  answer <- tryCatch(jsonlite::fromJSON(body, simplifyVector = FALSE), error = function(e) NULL)
  if (!is.list(answer) || !is_string(answer[["AccessKeyId"]]) || !is_string(answer[["SecretAccessKey"]])) {
    stop(credentials_error(source, "the answer holds no credentials"))
  }
  expiration <- if (is_string(answer[["Expiration"]])) parse_iso_time(answer[["Expiration"]], source)
  new_credentials(
    answer[["AccessKeyId"]], answer[["SecretAccessKey"]], answer[["Token"]],
    source = source, expiration = expiration
  )
}

# ---------------------------------------------------------------------------
# IMDS: a session token (PUT), the role name, then the role's credentials.
# AWS_EC2_METADATA_DISABLED=true turns it off, for credential_source too.

imds_provider <- function(ctx, profile) {
  if (tolower(Sys.getenv("AWS_EC2_METADATA_DISABLED")) == "true") {
    return(NULL)
  }
  section <- ctx$files$config[[profile]] %||% list()
  settings <- imds_settings(section)
  source <- "EC2 instance metadata"
  creds <- fetch_imds_credentials(settings, source)
  if (is.null(creds)) {
    return(NULL)
  }
  provider <- new_provider(function() fetch_imds_credentials(settings, source), source)
  provider$creds <- creds
  provider
}

# Where and how to ask: each setting from its environment variable, then the
# profile, then botocore's default (1 s timeout, 1 attempt, IMDSv1 allowed).
imds_settings <- function(section) {
  setting <- function(var, key, default) {
    value <- Sys.getenv(var)
    if (nzchar(value)) value else section[[key]] %||% default
  }
  number <- function(var, key, default) {
    value <- suppressWarnings(as.numeric(setting(var, key, default)))
    if (is.na(value) || value <= 0) {
      stop(paws_condition("paws_config_error", sprintf(
        "%s / %s must be a positive number", var, key
      )))
    }
    value
  }
  list(
    base = imds_base_url(section),
    timeout = number("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout", "1"),
    attempts = as.integer(number(
      "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts", "1"
    )),
    v1_disabled = tolower(setting(
      "AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled", "false"
    )) == "true"
  )
}

imds_base_url <- function(section) {
  endpoint <- Sys.getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT")
  if (!nzchar(endpoint)) endpoint <- section[["ec2_metadata_service_endpoint"]] %||% ""
  if (nzchar(endpoint)) {
    return(sub("/+$", "", endpoint))
  }
  mode <- Sys.getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
  if (!nzchar(mode)) mode <- section[["ec2_metadata_service_endpoint_mode"]] %||% "ipv4"
  mode <- tolower(mode)
  if (!mode %in% c("ipv4", "ipv6")) {
    stop(paws_condition("paws_config_error", sprintf(
      "ec2_metadata_service_endpoint_mode must be ipv4 or ipv6, not %s", dQuote(mode, FALSE)
    )))
  }
  if (mode == "ipv6") imds_ipv6 else imds_ipv4
}

# One metadata request, tried `attempts` times while it fails or is not a 200.
imds_request <- function(settings, method, path, headers) {
  res <- NULL
  for (try in seq_len(settings$attempts)) {
    res <- credential_http(method, paste0(settings$base, "/", path), headers,
      timeout = settings$timeout
    )
    if (is.null(res[["failure"]]) && res[["status"]] == 200L && nzchar(res[["body"]])) break
  }
  res
}

# NULL when the metadata service cannot be reached or has no role (botocore
# then goes on to report that no credentials were found). A session token
# first (IMDSv2); without one, IMDSv1 unless it is disabled.
fetch_imds_credentials <- function(settings, source) {
  token_res <- imds_request(
    settings, "PUT", "latest/api/token", c(`x-aws-ec2-metadata-token-ttl-seconds` = "21600")
  )
  headers <- character()
  if (is.null(token_res[["failure"]]) && token_res[["status"]] == 200L) {
    headers <- c(`x-aws-ec2-metadata-token` = token_res[["body"]])
  } else if (is.null(token_res[["failure"]]) && token_res[["status"]] == 400L) {
    return(NULL)
  } else if (settings$v1_disabled) {
    stop(credentials_error(source, paste(
      "no IMDSv2 session token could be had and IMDSv1 is disabled",
      "(ec2_metadata_v1_disabled)"
    )))
  }
  role_res <- imds_request(settings, "GET", imds_roles_path, headers)
  if (!is.null(role_res[["failure"]]) || role_res[["status"]] != 200L ||
    !nzchar(trimws(role_res[["body"]]))) {
    return(NULL)
  }
  role <- strsplit(trimws(role_res[["body"]]), "\n", fixed = TRUE)[[1]][1]
  creds_res <- imds_request(settings, "GET", paste0(imds_roles_path, role), headers)
  if (!is.null(creds_res[["failure"]]) || creds_res[["status"]] != 200L) {
    return(NULL)
  }
  tryCatch(parse_metadata_credentials(creds_res[["body"]], source), paws_error = function(e) NULL)
}
