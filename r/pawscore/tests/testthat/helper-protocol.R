# Shared by the protocol conformance tests (test-restjson.R, test-jsonprotocol.R).

json_equal <- function(a, b) {
  pa <- tryCatch(jsonlite::parse_json(a), error = function(e) NULL)
  pb <- tryCatch(jsonlite::parse_json(b), error = function(e) NULL)
  if (is.null(pa) || is.null(pb)) {
    return(identical(a, b))
  }
  identical(pa, pb)
}

special_doubles <- c("NaN" = NaN, "Infinity" = Inf, "-Infinity" = -Inf)

# The expected results are plain JSON; give them the DESIGN.md types.
typed_expected <- function(api, shape, value) {
  if (is.null(value)) {
    return(NULL)
  }
  switch(shape$type,
    structure = {
      if (isTRUE(shape$document)) {
        return(value)
      }
      out <- structure(list(), names = character())
      for (name in names(shape$members)) {
        if (!is.null(value[[name]])) {
          out[[name]] <- typed_expected(api, api$shapes[[shape$members[[name]]$shape]], value[[name]])
        }
      }
      out
    },
    list = lapply(value, function(v) typed_expected(api, api$shapes[[shape$member$shape]], v)),
    map = {
      # Map order carries no meaning: compare maps sorted by key.
      out <- structure(list(), names = character())
      item <- api$shapes[[shape$value$shape]]
      for (k in sort(names(value))) out[[k]] <- typed_expected(api, item, value[[k]])
      out
    },
    integer = as.integer(value),
    long = as.numeric(value),
    float = ,
    double = if (is.character(value)) special_doubles[[value]] else as.numeric(value),
    timestamp = as.POSIXct(value, origin = "1970-01-01", tz = "UTC"),
    blob = charToRaw(value),
    boolean = as.logical(value),
    value
  )
}

sort_maps <- function(api, shape, value) {
  if (is.null(shape) || !is.list(value)) {
    return(value)
  }
  switch(shape$type,
    structure = {
      if (isTRUE(shape$document)) {
        return(value)
      }
      for (name in names(value)) {
        value[[name]] <- sort_maps(api, api$shapes[[shape$members[[name]]$shape]], value[[name]])
      }
      value
    },
    list = lapply(value, function(v) sort_maps(api, api$shapes[[shape$member$shape]], v)),
    map = lapply(value[sort(names(value))], function(v) sort_maps(api, api$shapes[[shape$value$shape]], v)),
    value
  )
}
