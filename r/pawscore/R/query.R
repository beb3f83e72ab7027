# The query protocol (awsQuery): form-encoded requests, XML answers (mirrors
# python/pawscore/query.py). Every call is a POST to "/" of
# `Content-Type: application/x-www-form-urlencoded; charset=utf-8` whose body is
# `Action=<Operation>&Version=<apiVersion>` followed by the input members as
# dotted keys: a structure member `A.B`, a list `A.member.N` (`A.N` when
# flattened, the member's location_name in place of "member"), a map
# `A.entry.N.key` / `A.entry.N.value` (`A.N.key` when flattened), an empty list
# `A=`. Scalars are text: booleans true/false, timestamps ISO 8601 (botocore's
# microsecond form), blobs base64, doubles as Python writes them.
#
# The answer is XML: <OperationResponse><OperationResult> (the operation's
# result_wrapper) holds the output members; an error is
# <ErrorResponse><Error><Code>/<Message> with <RequestId> beside it. XML is read
# with xml2 after refusing what a hostile server could abuse: a DOCTYPE or
# entity declaration, nesting deeper than `max_xml_depth`, bytes that are not
# UTF-8 or an encoding declaration other than UTF-8 (paws_response_error).

query_content_type <- "application/x-www-form-urlencoded; charset=utf-8"

# Deeper XML is refused, as in Python (libxml2 itself stops at 256).
max_xml_depth <- 100L

# `ec2` writes the ec2 protocol's variant (ec2.R): member names from
# ec2_wire_name(), every list as `A.N` and an empty list as nothing.
query_build_request <- function(api, operation, params, endpoint, ec2 = FALSE) {
  op <- api$operations[[operation]]
  params <- drop_nulls(params %||% list())
  params <- fill_idempotency_tokens(api, op$input, params)
  shape <- if (is.null(op$input)) NULL else api$shapes[[op$input]]
  form <- c(Action = op$name, Version = api$metadata$api_version %||% "")
  if (!is.null(shape)) form <- c(form, query_serialize(api, shape, list(), params, "", ec2))
  form <- query_dedupe(form)
  body <- paste0(
    query_escape(names(form)), "=", query_escape(unname(form)),
    collapse = "&"
  )
  url <- add_host_prefix(endpoint, op$host_prefix, shape, params)
  list(
    method = op$http_method %||% "POST",
    url = paste0(sub("/+$", "", url), "/"),
    headers = c(`Content-Type` = query_content_type),
    body = charToRaw(body)
  )
}

# Percent-encode every byte but A-Z a-z 0-9 - . _ ~ (aws_escape, vectorized:
# libcurl's escape keeps exactly those).
query_escape <- function(x) {
  if (!length(x)) {
    return(character())
  }
  curl::curl_escape(enc2utf8(x))
}

# A key given twice keeps its first place and its last value (Python's dict).
query_dedupe <- function(form) {
  keys <- names(form)
  if (!anyDuplicated(keys)) {
    return(form)
  }
  last <- !duplicated(keys, fromLast = TRUE)
  latest <- stats::setNames(unname(form[last]), keys[last])
  first <- keys[!duplicated(keys)]
  stats::setNames(unname(latest[first]), first)
}

# The reference's serialized name: its own location_name, else its shape's.
query_wire_name <- function(ref, shape) ref$location_name %||% shape$location_name

# The ec2 protocol's request name (botocore's EC2Serializer): the reference's
# (else its shape's) query_name as it is, else its location_name with the first
# letter upper-cased; NULL when neither is set. A structure member with neither
# is then sent under its own name upper-cased first (Smithy's rule; botocore
# keeps it as it is, and every input member of the EC2 model agrees).
ec2_wire_name <- function(ref, shape) {
  query_name <- ref$query_name %||% shape$query_name
  if (!is.null(query_name)) {
    return(query_name)
  }
  name <- query_wire_name(ref, shape)
  if (is.null(name)) NULL else upper_first(name)
}

upper_first <- function(x) paste0(toupper(substr(x, 1L, 1L)), substring(x, 2L))

query_flattened <- function(ref, shape) isTRUE(ref$flattened) || isTRUE(shape$flattened)

# The form pairs of `value` under `prefix`: a character vector named by key.
query_serialize <- function(api, shape, ref, value, prefix, ec2 = FALSE) {
  naming <- if (ec2) ec2_wire_name else query_wire_name
  if (ec2 && shape$type == "list") {
    # ec2: every list is flattened under its own key, member names unused, and an
    # empty list sends nothing.
    return(query_serialize_items(api, shape, value, prefix, ec2))
  }
  switch(shape$type,
    structure = {
      parts <- lapply(names(shape$members), function(name) {
        item <- value[[name]]
        if (is.null(item)) {
          return(NULL)
        }
        mref <- shape$members[[name]]
        target <- api$shapes[[mref$shape]]
        key <- naming(mref, target) %||% if (ec2) upper_first(name) else name
        at <- if (nzchar(prefix)) paste0(prefix, ".", key) else key
        query_serialize(api, target, mref, item, at, ec2)
      })
      unlist(parts) %||% character()
    },
    list = {
      if (!length(value)) {
        return(stats::setNames("", prefix)) # the query protocol sends an empty list as "A="
      }
      member <- shape$member
      member_shape <- api$shapes[[member$shape]]
      member_name <- query_wire_name(member, member_shape)
      list_prefix <- if (query_flattened(ref, shape)) {
        # botocore: a flattened list's member name replaces the last key part.
        if (is.null(member_name)) {
          prefix
        } else {
          parts <- strsplit(prefix, ".", fixed = TRUE)[[1]]
          paste(c(utils::head(parts, -1L), member_name), collapse = ".")
        }
      } else {
        paste0(prefix, ".", member_name %||% "member")
      }
      query_serialize_items(api, shape, value, list_prefix, ec2)
    },
    map = {
      entry <- if (query_flattened(ref, shape)) prefix else paste0(prefix, ".entry")
      key_shape <- api$shapes[[shape$key$shape]]
      value_shape <- api$shapes[[shape$value$shape]]
      key_name <- naming(shape$key, key_shape) %||% "key"
      value_name <- naming(shape$value, value_shape) %||% "value"
      keys <- names(value)
      unlist(lapply(seq_along(keys), function(i) {
        at <- paste0(entry, ".", i, ".")
        c(
          query_serialize(api, key_shape, shape$key, keys[[i]], paste0(at, key_name), ec2),
          query_serialize(api, value_shape, shape$value, value[[i]], paste0(at, value_name), ec2)
        )
      })) %||% character()
    },
    stats::setNames(query_scalar_text(shape, ref, value), prefix)
  )
}

# The items of a list under `list_prefix`.1, .2, ...
query_serialize_items <- function(api, shape, value, list_prefix, ec2) {
  member <- shape$member
  member_shape <- api$shapes[[member$shape]]
  items <- unname(as.list(value))
  if (!length(items)) {
    return(character())
  }
  at <- paste0(list_prefix, ".", seq_along(items))
  if (member_shape$type %in% c("structure", "list", "map")) {
    unlist(lapply(seq_along(items), function(i) {
      query_serialize(api, member_shape, member, items[[i]], at[[i]], ec2)
    })) %||% character()
  } else {
    texts <- vapply(items, function(v) query_scalar_text(member_shape, member, v), "")
    stats::setNames(texts, at)
  }
}

# The form text of one scalar, as botocore's query serializer writes it.
query_scalar_text <- function(shape, ref, value) {
  switch(shape$type,
    boolean = if (isTRUE(value)) "true" else "false",
    blob = b64_encode(if (is.raw(value)) value else charToRaw(enc2utf8(as.character(value)))),
    timestamp = {
      fmt <- ref$timestamp_format %||% shape$timestamp_format %||% "iso8601"
      secs <- as_epoch(value)
      switch(tolower(fmt),
        unixtimestamp = format_whole(floor(secs)),
        rfc822 = http_date(secs),
        iso_date(secs)
      )
    },
    integer = ,
    long = if (is.character(value)) value else format_whole(value),
    float = ,
    double = if (is.character(value)) value else python_float_text(value),
    enc2utf8(as.character(value))
  )
}

# A double as Python's str() writes it (what botocore sends): the shortest
# digits that read back to the same double, fixed notation for exponents -4 to
# 15 (with ".0" when whole), else "1e+20" / "1.5e-07"; NaN and the infinities as
# words.
python_float_text <- function(x) {
  x <- as.numeric(x)
  if (is.nan(x) || is.na(x)) {
    return("NaN")
  }
  if (is.infinite(x)) {
    return(if (x > 0) "Infinity" else "-Infinity")
  }
  if (x == 0) {
    return(if (1 / x < 0) "-0.0" else "0.0")
  }
  for (digits in 1:17) {
    sci <- sprintf("%.*e", digits - 1L, x)
    if (as.numeric(sci) == x) break
  }
  mantissa <- sub("e.*$", "", sci)
  exponent <- as.integer(sub("^.*e", "", sci))
  negative <- startsWith(mantissa, "-")
  figures <- gsub("[-.]", "", mantissa)
  figures <- sub("0+$", "", figures)
  if (!nzchar(figures)) figures <- "0"
  sign <- if (negative) "-" else ""
  if (exponent >= -4L && exponent < 16L) {
    n <- nchar(figures)
    if (exponent < 0L) {
      text <- paste0("0.", strrep("0", -exponent - 1L), figures)
    } else if (n > exponent + 1L) {
      text <- paste0(substr(figures, 1L, exponent + 1L), ".", substr(figures, exponent + 2L, n))
    } else {
      text <- paste0(figures, strrep("0", exponent + 1L - n), ".0")
    }
    return(paste0(sign, text))
  }
  lead <- substr(figures, 1L, 1L)
  rest <- substring(figures, 2L)
  digits_text <- if (nzchar(rest)) paste0(lead, ".", rest) else lead
  paste0(sign, digits_text, "e", if (exponent < 0L) "-" else "+", sprintf("%02d", abs(exponent)))
}

# ---------------------------------------------------------------- reading XML

xml_refused <- function(reason) {
  paws_condition("paws_response_error", paste0("Response body is not acceptable XML: ", reason))
}

declared_encoding_re <- paste0(
  "^(\ufeff)?<\\?xml[^>]*?[ \t\r\n]encoding[ \t\r\n]*=[ \t\r\n]*",
  "[\"']([^\"']*)[\"']"
)

# The root element of `body` (raw); a paws_response_error for anything hostile:
# a body that is empty or not UTF-8, an encoding declaration other than UTF-8,
# a DOCTYPE or entity declaration (no entity is ever expanded), nesting deeper
# than `max_xml_depth`, and anything libxml2 finds malformed.
query_read_xml <- function(body) {
  if (any(body == as.raw(0))) stop(xml_refused("it is not well-formed (it holds a NUL byte)"))
  text <- if (length(body)) raw_to_text(body) else ""
  if (!validUTF8(text)) stop(xml_refused("it is not UTF-8"))
  if (xml_blank(body)) stop(xml_refused("it is empty"))
  if (grepl("<!DOCTYPE", text, fixed = TRUE) || grepl("<!ENTITY", text, fixed = TRUE)) {
    stop(xml_refused("it holds a DOCTYPE or entity declaration"))
  }
  declared <- regmatches(text, regexec(declared_encoding_re, text, perl = TRUE))[[1]]
  if (length(declared) && !tolower(declared[[3]]) %in% c("utf-8", "utf8")) {
    stop(xml_refused(paste("it declares the encoding", declared[[3]])))
  }
  # libxml2's namespace complaints (an undeclared prefix, an odd xmlns URI) come as
  # R warnings; namespaces play no part here (Python reads without them): muffled.
  doc <- tryCatch(
    withCallingHandlers(
      xml2::read_xml(body, encoding = "UTF-8", options = c("NONET", "NOCDATA")),
      warning = function(w) invokeRestart("muffleWarning")
    ),
    error = function(e) stop(xml_refused(conditionMessage(e)))
  )
  deep <- xml2::xml_find_first(doc, sprintf("//*[count(ancestor::*) >= %d]", max_xml_depth))
  if (!inherits(deep, "xml_missing")) {
    stop(xml_refused(sprintf("it is nested more than %d levels deep", max_xml_depth)))
  }
  xml2::xml_root(doc)
}

# TRUE when `body` (raw) holds only XML white space, or nothing.
xml_blank <- function(body) all(body %in% as.raw(c(0x20, 0x09, 0x0d, 0x0a)))

# An element's text before its first child element (what Python keeps).
query_node_text <- function(node) {
  text <- if (xml2::xml_length(node) == 0L) {
    xml2::xml_text(node) # a leaf: its text and CDATA, comments left out
  } else {
    before <- xml2::xml_find_all(node, "text()[not(preceding-sibling::*)]")
    paste(xml2::xml_text(before), collapse = "")
  }
  Encoding(text) <- "UTF-8"
  text
}

# The first child element called `tag`, or NULL.
query_child <- function(node, tag) {
  if (is.null(node)) {
    return(NULL)
  }
  kids <- xml2::xml_children(node)
  hit <- which(xml2::xml_name(kids) == tag)
  if (length(hit)) kids[[hit[[1]]]] else NULL
}

# ---------------------------------------------------------------- parsing

# The members under the result wrapper, in model order. No output shape, or
# an empty body, gives an empty list; so does a result wrapper the answer
# lacks. Without a result_wrapper in the API data, <OperationResult> is used
# when present, else the root. With `ec2` (the ec2 protocol) the members are
# read right under the root <OperationResponse>: there is no result wrapper.
query_parse_response <- function(api, operation, status, headers, body, ec2 = FALSE) {
  op <- api$operations[[operation]]
  if (is.null(op$output) || xml_blank(body)) {
    return(empty_object())
  }
  root <- query_read_xml(body)
  if (ec2) {
    return(query_parse_node(api, api$shapes[[op$output]], list(), list(root)))
  }
  wrapper <- op$result_wrapper
  start <- query_child(root, wrapper %||% paste0(op$name, "Result"))
  if (is.null(start)) {
    if (!is.null(wrapper)) {
      return(empty_object())
    }
    start <- root
  }
  query_parse_node(api, api$shapes[[op$output]], list(), list(start))
}

# The element name of a structure member (botocore's _member_key_name).
query_member_key <- function(api, name, ref) {
  target <- api$shapes[[ref$shape]]
  if (target$type == "list" && query_flattened(ref, target)) {
    member_name <- query_wire_name(target$member, api$shapes[[target$member$shape]])
    if (!is.null(member_name)) {
      return(member_name)
    }
  }
  query_wire_name(ref, target) %||% name
}

# The value of `nodes` (the elements of one member: one unless flattened).
query_parse_node <- function(api, shape, ref, nodes) {
  switch(shape$type,
    structure = {
      kids <- xml2::xml_children(nodes[[1]])
      tags <- xml2::xml_name(kids)
      out <- empty_object()
      for (name in names(shape$members)) {
        mref <- shape$members[[name]]
        hit <- which(tags == query_member_key(api, name, mref))
        if (!length(hit)) next
        found <- lapply(hit, function(i) kids[[i]])
        out[[name]] <- query_parse_node(api, api$shapes[[mref$shape]], mref, found)
      }
      out
    },
    list = {
      items <- if (query_flattened(ref, shape)) nodes else xml2::xml_children(nodes[[1]])
      member_shape <- api$shapes[[shape$member$shape]]
      # Plain lists of nodes: indexing an xml_nodeset costs time in its length.
      lapply(seq_along(items), function(i) {
        query_parse_node(api, member_shape, shape$member, list(items[[i]]))
      })
    },
    map = query_parse_map(api, shape, ref, nodes),
    query_scalar(shape$type, query_node_text(nodes[[1]]))
  )
}

query_parse_map <- function(api, shape, ref, nodes) {
  key_shape <- api$shapes[[shape$key$shape]]
  value_shape <- api$shapes[[shape$value$shape]]
  key_name <- query_wire_name(shape$key, key_shape) %||% "key"
  value_name <- query_wire_name(shape$value, value_shape) %||% "value"
  entries <- if (query_flattened(ref, shape)) nodes else xml2::xml_children(nodes[[1]])
  out <- empty_object()
  for (i in seq_along(entries)) {
    kids <- xml2::xml_children(entries[[i]])
    tags <- xml2::xml_name(kids)
    bad <- tags[!tags %in% c(key_name, value_name)]
    if (length(bad)) stop(sprintf("unexpected <%s> in a map entry", bad[[1]]), call. = FALSE)
    at_key <- which(tags == key_name)
    if (!length(at_key)) stop(sprintf("a map entry without its <%s>", key_name), call. = FALSE)
    key <- query_parse_node(api, key_shape, shape$key, list(kids[[at_key[length(at_key)]]]))
    at_value <- which(tags == value_name)
    if (length(at_value)) {
      last <- list(kids[[at_value[length(at_value)]]])
      out[[key]] <- query_parse_node(api, value_shape, shape$value, last)
    }
  }
  out
}

query_int_re <- "^[+-]?[0-9]+$"
query_float_re <- "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$"
query_b64_re <- "^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"

# A scalar of `type` from an element's text (strict: no coercion guesses).
query_scalar <- function(type, text) {
  if (type == "string") {
    return(text)
  }
  # (trimws() only when there is white space to trim: it is the hot path)
  trimmed <- if (grepl("^[ \t\r\n]|[ \t\r\n]$", text)) trimws(text) else text
  shown <- function() substr(trimmed, 1L, 40L)
  switch(type,
    boolean = {
      if (!trimmed %in% c("true", "false")) {
        stop(sprintf("not a boolean: '%s'", shown()), call. = FALSE)
      }
      identical(trimmed, "true")
    },
    integer = ,
    long = {
      if (!grepl(query_int_re, trimmed)) {
        stop(sprintf("not an integer: '%s'", shown()), call. = FALSE)
      }
      if (type == "integer") {
        return(parse_integer(trimmed))
      }
      # Without a plus sign or leading zeros, so the exactness check compares digits.
      parse_long(sub("^([-]?)0+([0-9])", "\\1\\2", sub("^\\+", "", trimmed)))
    },
    float = ,
    double = {
      words <- c("NaN" = NaN, "Infinity" = Inf, "-Infinity" = -Inf)
      if (trimmed %in% names(words)) {
        return(words[[trimmed]])
      }
      if (!grepl(query_float_re, trimmed)) {
        stop(sprintf("not a number: '%s'", shown()), call. = FALSE)
      }
      as.numeric(trimmed)
    },
    timestamp = parse_timestamp(trimmed),
    blob = {
      packed <- gsub("[ \t\r\n]", "", text)
      if (!grepl(query_b64_re, packed)) stop("a blob that is not base64", call. = FALSE)
      jsonlite::base64_dec(packed)
    },
    text
  )
}

# ---------------------------------------------------------------- errors

query_error_keys <- c("Code", "Message", "message", "Type")

# <Error> of <ErrorResponse><Error>, <Response><Errors><Error>, or the root.
query_error_node <- function(root) {
  if (is.null(root)) {
    return(NULL)
  }
  if (xml2::xml_name(root) == "Error") {
    return(root)
  }
  query_child(root, "Error") %||% query_child(query_child(root, "Errors"), "Error")
}

# An element as plain data: text for a leaf, else its children by name (first wins).
query_plain <- function(node) {
  kids <- xml2::xml_children(node)
  if (!length(kids)) {
    return(query_node_text(node))
  }
  tags <- xml2::xml_name(kids)
  out <- empty_object()
  for (i in seq_along(kids)) {
    if (!tags[[i]] %in% names(out)) out[[tags[[i]]]] <- query_plain(kids[[i]])
  }
  out
}

# Turn a non-2xx response into a service error condition (not signalled). The
# code and message come from <Error><Code> / <Message> (an error shape's
# error$code, the awsQueryError trait, names the modeled class); the request
# id from <RequestId> (EC2-style <RequestID>), else the headers. A body that
# is not XML leaves the code Http<status>.
query_parse_error <- function(api, status, headers, body) {
  names(headers) <- tolower(names(headers))
  root <- tryCatch(query_read_xml(body), paws_response_error = function(e) NULL)
  err <- query_error_node(root)
  code <- ""
  message <- ""
  fields <- empty_object()
  if (!is.null(err)) {
    code_node <- query_child(err, "Code")
    if (!is.null(code_node)) code <- trimws(query_node_text(code_node), whitespace = "[ \t\r\n]")
    message_node <- query_child(err, "Message") %||% query_child(err, "message")
    if (!is.null(message_node)) message <- query_node_text(message_node)
    kids <- xml2::xml_children(err)
    tags <- xml2::xml_name(kids)
    for (i in seq_along(kids)) {
      if (tags[[i]] %in% query_error_keys || tags[[i]] %in% names(fields)) next
      fields[[tags[[i]]]] <- query_plain(kids[[i]])
    }
  }
  if (!nzchar(code)) code <- error_code_for_status(status)
  rid_node <- query_child(root, "RequestId") %||% query_child(root, "RequestID")
  request_id <- if (is.null(rid_node)) "" else trimws(query_node_text(rid_node))
  if (!nzchar(request_id)) request_id <- response_request_id(headers)
  shape_name <- error_shape_name(api, code)
  if (!is.null(shape_name) && !is.null(err)) {
    # Modeled fields are extra detail: one that does not fit its shape is dropped.
    modeled <- tryCatch(
      query_parse_node(api, api$shapes[[shape_name]], list(), list(err)),
      error = function(e) list()
    )
    for (name in setdiff(names(modeled), c("Message", "message"))) fields[[name]] <- modeled[[name]]
  }
  service_error(
    code, message,
    status_code = as.integer(status),
    request_id = request_id,
    fields = fields,
    shape = shape_name
  )
}
