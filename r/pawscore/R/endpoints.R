# Endpoints from the service's endpoint rule set: our own evaluator of AWS's
# endpoint rules language (the one botocore and every current AWS SDK run),
# with its standard library, and the endpoint settings read where botocore
# reads them. A generated package ships `endpoint-rule-set-1.json` and
# `partitions.json` in its `inst/` folder (docs/contracts.md, section 1c).

endpoint_cache <- new.env(parent = emptyenv())

# The rule set and partition table installed with `package`, or NULL when the
# package has none (hand-written API data in tests). Read once per session.
package_endpoint_rules <- function(package) {
  if (!is_string(package)) {
    return(NULL)
  }
  if (exists(package, envir = endpoint_cache, inherits = FALSE)) {
    return(get(package, envir = endpoint_cache))
  }
  ruleset <- system.file("endpoint-rule-set-1.json", package = package)
  partitions <- system.file("partitions.json", package = package)
  rules <- if (nzchar(ruleset) && nzchar(partitions)) {
    endpoint_rules(read_json_file(ruleset), read_json_file(partitions))
  }
  assign(package, rules, envir = endpoint_cache)
  rules
}

read_json_file <- function(path) {
  jsonlite::fromJSON(path, simplifyVector = FALSE)
}

# A rule set and the partitions its `aws.partition` function reads.
endpoint_rules <- function(ruleset, partitions) {
  structure(list(ruleset = ruleset, partitions = partitions), class = "paws_endpoint_rules")
}

endpoint_error <- function(message) {
  paws_condition(c("paws_endpoint_error", "paws_config_error"), message)
}

# Evaluate `rules` for the named list `params` (Region, UseFIPS, UseDualStack,
# Endpoint; NULL members are unset). Returns list(url, properties, headers,
# signing_region, signing_name); a rule that says the parameters are invalid
# raises `paws_endpoint_error` with the rule set's own message.
evaluate_endpoint_rules <- function(rules, params) {
  scope <- endpoint_parameters(rules$ruleset$parameters, params)
  lib <- rules_library(rules$partitions)
  found <- eval_rule_list(rules$ruleset$rules, scope, lib)
  if (is.null(found)) {
    stop(endpoint_error("No endpoint rule matched the given parameters"))
  }
  if (identical(found$type, "error")) stop(endpoint_error(found$message))
  scheme <- sigv4_scheme(found$properties)
  list(
    url = found$url, properties = found$properties, headers = found$headers,
    signing_region = scheme$signingRegion, signing_name = scheme$signingName
  )
}

# Parameters with their defaults filled in, checked against their declared
# type and `required` flag (with botocore's messages).
endpoint_parameters <- function(declared, params) {
  unknown <- setdiff(names(params), names(declared))
  if (length(unknown)) {
    stop(endpoint_error(sprintf("Unknown endpoint parameter: %s", paste(unknown, collapse = ", "))))
  }
  scope <- list()
  for (name in names(declared)) {
    spec <- declared[[name]]
    value <- params[[name]] %||% spec$default
    if (is.null(value)) {
      if (isTRUE(spec$required)) {
        stop(endpoint_error(sprintf("Cannot find value for required parameter %s", name)))
      }
      next
    }
    ok <- switch(tolower(spec$type),
      boolean = is.logical(value) && length(value) == 1 && !is.na(value),
      string = is.character(value) && length(value) == 1 && !is.na(value),
      stringArray = is.list(value) || is.character(value),
      TRUE
    )
    if (!ok) {
      stop(endpoint_error(sprintf(
        "Value (%s) is the wrong type. Must be %s.", name, spec$type
      )))
    }
    scope[[name]] <- value
  }
  scope
}

# The first rule that matches wins; a tree whose own conditions match but whose
# rules do not falls through to the next rule, as in botocore.
eval_rule_list <- function(rules, scope, lib) {
  for (rule in rules) {
    found <- eval_rule(rule, scope, lib)
    if (!is.null(found)) {
      return(found)
    }
  }
  NULL
}

eval_rule <- function(rule, scope, lib) {
  for (condition in rule$conditions) {
    value <- rules_call(condition, scope, lib)
    if (is.null(value) || identical(value, FALSE)) {
      return(NULL)
    }
    if (!is.null(condition$assign)) scope[[condition$assign]] <- value
  }
  switch(rule$type,
    endpoint = list(
      type = "endpoint",
      url = rules_value(rule$endpoint$url, scope, lib),
      properties = rules_object(rule$endpoint$properties, scope, lib),
      headers = lapply(rule$endpoint$headers, function(values) {
        lapply(values, rules_value, scope = scope, lib = lib)
      })
    ),
    error = list(type = "error", message = rules_value(rule$error, scope, lib)),
    tree = eval_rule_list(rule$rules, scope, lib),
    stop(endpoint_error(sprintf("Unknown endpoint rule type %s", rule$type)))
  )
}

# An expression: a function call, a reference, a template string or a literal.
rules_value <- function(x, scope, lib) {
  if (is.list(x) && !is.null(x$fn)) {
    return(rules_call(x, scope, lib))
  }
  if (is.list(x) && !is.null(x$ref)) {
    return(scope[[x$ref]])
  }
  if (is.character(x) && length(x) == 1 && grepl("{", x, fixed = TRUE)) {
    return(rules_template(x, scope))
  }
  x
}

# Endpoint properties: objects and arrays whose strings may be templates.
rules_object <- function(x, scope, lib) {
  if (is.list(x) && is.null(x$fn) && is.null(x$ref)) {
    return(lapply(x, rules_object, scope = scope, lib = lib))
  }
  rules_value(x, scope, lib)
}

# "https://lambda.{Region}.{PartitionResult#dnsSuffix}": `{name}` and
# `{name#attr}` are replaced; `{{` and `}}` stand for literal braces.
rules_template <- function(template, scope) {
  out <- character()
  rest <- template
  while (nzchar(rest)) {
    if (startsWith(rest, "{{") || startsWith(rest, "}}")) {
      out <- c(out, substr(rest, 1, 1))
      rest <- substr(rest, 3, nchar(rest))
    } else if (startsWith(rest, "{")) {
      close <- regexpr("}", rest, fixed = TRUE)
      if (close < 0) stop(endpoint_error(sprintf("Unclosed template in %s", template)))
      path <- strsplit(substr(rest, 2, close - 1), "#", fixed = TRUE)[[1]]
      value <- scope[[path[1]]]
      for (part in path[-1]) value <- value[[part]]
      if (is.null(value)) {
        stop(endpoint_error(sprintf("Template %s names an unset value", template)))
      }
      out <- c(out, template_text(value))
      rest <- substr(rest, close + 1, nchar(rest))
    } else {
      plain <- regexpr("[{}]", rest)
      end <- if (plain < 0) nchar(rest) else max(1L, plain - 1L)
      out <- c(out, substr(rest, 1, end))
      rest <- substr(rest, end + 1, nchar(rest))
    }
  }
  paste(out, collapse = "")
}

template_text <- function(value) {
  if (is.logical(value)) {
    return(if (isTRUE(value)) "true" else "false")
  }
  as.character(value)
}

rules_call <- function(call, scope, lib) {
  fn <- lib[[call$fn]]
  if (is.null(fn)) stop(endpoint_error(sprintf("Unknown endpoint rules function %s", call$fn)))
  args <- lapply(call$argv, rules_value, scope = scope, lib = lib)
  # do.call on a list keeps NULL arguments as NULL (unset values stay unset).
  do.call(fn, args)
}

# The standard library of the rules language, plus the AWS functions.
rules_library <- function(partitions) {
  list(
    isSet = function(value) !is.null(value),
    not = function(value) !isTRUE(value),
    booleanEquals = function(a, b) {
      if (!is.logical(a) || !is.logical(b)) {
        stop(endpoint_error("booleanEquals needs two booleans"))
      }
      identical(a, b)
    },
    stringEquals = function(a, b) {
      if (!is.character(a) || !is.character(b)) {
        stop(endpoint_error("stringEquals needs two strings"))
      }
      identical(a, b)
    },
    getAttr = rules_get_attr,
    parseURL = rules_parse_url,
    substring = rules_substring,
    uriEncode = function(value) if (is.null(value)) NULL else aws_escape(value),
    isValidHostLabel = rules_host_label,
    aws.partition = function(region) rules_partition(partitions, region),
    aws.parseArn = rules_parse_arn,
    aws.isVirtualHostableS3Bucket = rules_s3_bucket
  )
}

# getAttr(value, "a.b[2]"): members by name, list elements by 0-based index;
# NULL when an index is out of range.
rules_get_attr <- function(value, path) {
  for (part in strsplit(path, ".", fixed = TRUE)[[1]]) {
    m <- regmatches(part, regexec("^(\\w*)\\[(\\d+)\\]$", part))[[1]]
    if (length(m)) {
      if (nzchar(m[2])) value <- value[[m[2]]]
      index <- as.integer(m[3])
      if (is.null(value) || index >= length(value)) {
        return(NULL)
      }
      value <- value[[index + 1L]]
    } else {
      if (is.null(value)) {
        return(NULL)
      }
      value <- value[[part]]
    }
  }
  value
}

# parseURL: scheme, authority, path, normalizedPath, isIp; NULL for anything
# but an http(s) URL without a query, or with a port that is not a number.
rules_parse_url <- function(url) {
  if (is.null(url)) {
    return(NULL)
  }
  m <- regmatches(url, regexec("^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)(\\?[^#]*)?(#.*)?$", url))[[1]]
  if (!length(m)) {
    return(NULL)
  }
  scheme <- tolower(m[2])
  authority <- m[3]
  path <- m[4]
  if (!scheme %in% c("http", "https") || nchar(m[5]) > 1) {
    return(NULL)
  }
  host_port <- sub("^.*@", "", authority)
  port <- if (startsWith(host_port, "[")) {
    sub("^\\[[^]]*\\]:?", "", host_port)
  } else if (grepl(":", host_port, fixed = TRUE)) {
    sub("^[^:]*:", "", host_port)
  } else {
    ""
  }
  if (nzchar(port) && !grepl("^[0-9]+$", port)) {
    return(NULL)
  }
  host <- sub(":[0-9]*$", "", host_port)
  is_ipv4 <- grepl("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$", host) &&
    all(as.integer(strsplit(host, ".", fixed = TRUE)[[1]]) <= 255L)
  is_ipv6 <- grepl("^\\[[0-9A-Fa-f:.]+(%25[^]]+)?\\]$", host)
  list(
    scheme = scheme, authority = authority, path = path,
    normalizedPath = normalized_path(path), isIp = is_ipv4 || is_ipv6
  )
}

# The path without dot segments or empty segments, percent-encoded, ending in
# "/" (botocore's normalisation, so both runtimes build the same URLs).
normalized_path <- function(path) {
  if (!nzchar(path)) {
    return("/")
  }
  kept <- character()
  for (part in strsplit(path, "/", fixed = TRUE)[[1]]) {
    if (!nzchar(part) || part == ".") next
    kept <- if (part == "..") utils::head(kept, -1L) else c(kept, part)
  }
  out <- paste0(
    if (startsWith(path, "/")) "/" else "",
    paste(vapply(kept, aws_escape, ""), collapse = "/"),
    if (endsWith(path, "/") && length(kept)) "/" else ""
  )
  if (endsWith(out, "/")) out else paste0(out, "/")
}

# substring(input, start, stop, reverse): characters [start, stop) counted from
# the front, or from the back when `reverse`; NULL when out of range or when
# the input is not ASCII.
rules_substring <- function(input, start, stop, reverse) {
  if (!is.character(input)) stop(endpoint_error("substring needs a string"))
  n <- nchar(input, type = "chars")
  if (start >= stop || n < stop || grepl("[^\\x01-\\x7F]", input, perl = TRUE)) {
    return(NULL)
  }
  if (isTRUE(reverse)) {
    return(substr(input, n - stop + 1, n - start))
  }
  substr(input, start + 1, stop)
}

rules_host_label <- function(value, allow_subdomains) {
  if (is.null(value)) {
    return(FALSE)
  }
  if (isTRUE(allow_subdomains)) {
    labels <- split_keep_empty(value, ".")
    return(all(vapply(labels, rules_host_label, logical(1), allow_subdomains = FALSE)))
  }
  grepl("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$", value)
}

# strsplit() that keeps empty pieces, trailing ones included.
split_keep_empty <- function(x, sep) {
  parts <- strsplit(paste0(x, sep, "x"), sep, fixed = TRUE)[[1]]
  parts[-length(parts)]
}

# aws.partition(region): the partition whose region list or regionRegex matches
# the region (else the first, "aws"), as its outputs plus its `name`.
rules_partition <- function(partitions, region) {
  all <- partitions$partitions
  pick <- all[[1]]
  if (!is.null(region)) {
    for (partition in all) {
      if (region %in% names(partition$regions) ||
        grepl(partition$regionRegex, region, perl = TRUE)) {
        pick <- partition
        break
      }
    }
  }
  c(list(name = pick$id), pick$outputs[setdiff(names(pick$outputs), "name")])
}

# aws.parseArn("arn:partition:service:region:account:resource"); NULL unless
# partition, service and resource are all present.
rules_parse_arn <- function(value) {
  if (is.null(value) || !startsWith(value, "arn:")) {
    return(NULL)
  }
  parts <- split_keep_empty(value, ":")
  if (length(parts) < 6) {
    return(NULL)
  }
  resource <- paste(parts[6:length(parts)], collapse = ":")
  if (!nzchar(parts[2]) || !nzchar(parts[3]) || !nzchar(resource)) {
    return(NULL)
  }
  list(
    partition = parts[2], service = parts[3], region = parts[4], accountId = parts[5],
    resourceId = as.list(split_keep_empty(gsub(":", "/", resource, fixed = TRUE), "/"))
  )
}

rules_s3_bucket <- function(value, allow_subdomains) {
  if (is.null(value) || nchar(value) < 3 || tolower(value) != value ||
    grepl("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$", value)) {
    return(FALSE)
  }
  rules_host_label(value, allow_subdomains)
}

# The first sigv4 auth scheme of an endpoint's properties (empty list if none).
sigv4_scheme <- function(properties) {
  for (scheme in properties$authSchemes) {
    if (identical(scheme$name, "sigv4")) {
      return(scheme)
    }
  }
  list()
}

# ---------------------------------------------------------------- settings

# FIPS, dual-stack and the configured endpoint URL, read as botocore reads
# them: the config, then the environment, then the profile (and its services
# section); configured URLs are skipped when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
# (or the profile's ignore_configured_endpoint_urls) is true.
endpoint_settings <- function(config, metadata) {
  profile <- profile_name(config$credentials$profile)
  scoped <- profile_section(profile) %||% list()
  url <- config$endpoint
  if (!is_string(url) && !setting_flag(NULL, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", scoped)) {
    url <- configured_endpoint_url(metadata, scoped)
  }
  list(
    use_fips = setting_flag(config$use_fips_endpoint, "AWS_USE_FIPS_ENDPOINT", scoped),
    use_dualstack = setting_flag(
      config$use_dualstack_endpoint, "AWS_USE_DUALSTACK_ENDPOINT", scoped
    ),
    endpoint_url = if (is_string(url)) url
  )
}

# A boolean setting; as in botocore only the text "true" (any case) is true.
setting_flag <- function(given, env_var, scoped) {
  if (!is.null(given)) {
    return(isTRUE(given))
  }
  value <- Sys.getenv(env_var, unset = NA)
  if (is.na(value)) value <- scoped[[tolower(sub("^AWS_", "", env_var))]] %||% ""
  identical(tolower(trimws(value)), "true")
}

# The service's key in endpoint settings: its service id in snake_case.
service_setting_name <- function(metadata) {
  gsub("[^a-z0-9]", "_", tolower(metadata$service_id %||% metadata$endpoint_prefix))
}

configured_endpoint_url <- function(metadata, scoped) {
  key <- service_setting_name(metadata)
  for (var in c(paste0("AWS_ENDPOINT_URL_", toupper(key)), "AWS_ENDPOINT_URL")) {
    value <- Sys.getenv(var)
    if (nzchar(value)) {
      return(checked_endpoint_url(value, var))
    }
  }
  section_name <- scoped[["services"]]
  if (is_string(section_name)) {
    ini <- read_ini_nested(shared_file("AWS_CONFIG_FILE", "config"))
    section <- ini[[paste("services", section_name)]]
    if (is.null(section)) {
      stop(paws_condition("paws_config_error", sprintf(
        "The profile names services section '%s', which does not exist", section_name
      )))
    }
    value <- section[[key]][["endpoint_url"]]
    if (is_string(value)) {
      return(checked_endpoint_url(value, sprintf("services section '%s'", section_name)))
    }
  }
  value <- scoped[["endpoint_url"]]
  if (is_string(value)) {
    return(checked_endpoint_url(value, "the profile's endpoint_url"))
  }
  NULL
}

checked_endpoint_url <- function(url, where) {
  if (!grepl(endpoint_re, url)) {
    stop(paws_condition("paws_config_error", sprintf(
      "%s must be an http:// or https:// URL", where
    )))
  }
  url
}

# The shared config file with botocore's nested keys: a `key =` line with no
# value followed by indented `name = value` lines makes `key` a named list.
read_ini_nested <- function(path) {
  if (!file.exists(path)) {
    return(list())
  }
  out <- list()
  section <- NULL
  parent <- NULL
  for (line in readLines(path, warn = FALSE)) {
    indented <- grepl("^[ \t]", line)
    line <- trimws(line)
    if (!nzchar(line) || startsWith(line, "#") || startsWith(line, ";")) next
    if (grepl("^\\[.*\\]$", line)) {
      section <- trimws(substr(line, 2, nchar(line) - 1))
      if (is.null(out[[section]])) out[[section]] <- list()
      parent <- NULL
      next
    }
    eq <- regexpr("=", line, fixed = TRUE)
    if (is.null(section) || eq < 1) next
    key <- trimws(substr(line, 1, eq - 1))
    value <- trimws(substr(line, eq + 1, nchar(line)))
    if (indented && !is.null(parent)) {
      out[[section]][[parent]][[key]] <- value
    } else if (!nzchar(value)) {
      parent <- key
      out[[section]][[key]] <- list()
    } else {
      parent <- NULL
      out[[section]][[key]] <- value
    }
  }
  out
}

# The endpoint for `region` and `settings`. Without a rule set the configured
# URL, or AWS's usual regional host, is used.
resolve_service_endpoint <- function(rules, region, settings, metadata) {
  if (!is.null(rules)) {
    # As in botocore, an endpoint URL (given or configured) turns FIPS and
    # dual-stack off rather than meeting the rules' "not supported" errors.
    custom <- !is.null(settings$endpoint_url)
    found <- evaluate_endpoint_rules(rules, list(
      Region = region, UseFIPS = settings$use_fips && !custom,
      UseDualStack = settings$use_dualstack && !custom, Endpoint = settings$endpoint_url
    ))
    found$url <- sub("/+$", "", found$url)
    return(found)
  }
  url <- settings$endpoint_url
  if (!is_string(url)) {
    suffix <- if (startsWith(region, "cn-")) "amazonaws.com.cn" else "amazonaws.com"
    url <- sprintf("https://%s.%s.%s", metadata$endpoint_prefix, region, suffix)
  }
  list(url = sub("/+$", "", url))
}
