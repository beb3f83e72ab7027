/* pawscore._native: the good path of the Python event-stream decoder, in C.
 *
 * Only what is certain to succeed is done here; everything else is left to the
 * pure-Python code in pawscore/eventstream.py, so errors are the same by
 * construction.  scan_frames() walks the complete frames of a buffer and stops,
 * returning the position, at the first frame it cannot take whole: a partial
 * frame, any prelude or CRC problem, or a header block that is not in the
 * decoder's cache yet.  Python then handles that one frame (raises the typed
 * error, waits for more bytes, or parses and caches the header block) and calls
 * scan_frames() again.  build_events() turns the [headers, payload, ...] list
 * into {event type: {member: payload}} dicts for the one event plan that is all
 * blob payload.  dechunk() is the same kind of fast path for the HTTP chunked
 * framing (pawscore/http.py, _dechunked).  The CRC is the R package's
 * (r/pawscore/src/crc32.c). */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>

#include "crc32.h"

#define PRELUDE_LENGTH 12
#define MIN_FRAME_LENGTH 16
/* The limits of pawscore/eventstream.py (MAX_HEADERS_LENGTH, _MAX_BODY). */
#define MAX_HEADERS_LENGTH (128 * 1024)
#define MAX_BODY (24 * 1024 * 1024 + MIN_FRAME_LENGTH)
/* Frames (crc32: buffers) at least this large are checksummed without holding the
 * GIL, and so are runs of frames this large in one read. */
#define NOGIL_BYTES (64 * 1024)

static uint32_t be32(const unsigned char *p) {
  return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | (uint32_t) p[3];
}

static uint32_t crc_maybe_nogil(uint32_t crc, const unsigned char *buf, size_t len) {
  if (len < NOGIL_BYTES) return pawscore_crc32(crc, buf, len);
  Py_BEGIN_ALLOW_THREADS
  crc = pawscore_crc32(crc, buf, len);
  Py_END_ALLOW_THREADS
  return crc;
}

/* The end of the run of whole, well-formed frames from pos: lengths within the
 * limits, the frame complete before end, both CRCs right.  Reads only the buffer
 * (an immutable bytes object), so it runs without the GIL. */
static Py_ssize_t checked_run(const unsigned char *buf, Py_ssize_t pos, Py_ssize_t end) {
  while (end - pos >= PRELUDE_LENGTH) {
    const unsigned char *p = buf + pos;
    uint32_t total = be32(p), headers_len = be32(p + 4), prelude_crc = be32(p + 8);
    if ((uint64_t) headers_len + MIN_FRAME_LENGTH > total || headers_len > MAX_HEADERS_LENGTH ||
        total - headers_len > MAX_BODY || (Py_ssize_t) total > end - pos)
      break;
    if (pawscore_crc32(0, p, 8) != prelude_crc) break;
    if (pawscore_crc32(prelude_crc, p + 8, (size_t) total - 12) != be32(p + total - 4)) break;
    pos += total;
  }
  return pos;
}

PyDoc_STRVAR(scan_frames_doc,
             "scan_frames(src, pos, end, cache, out, /)\n--\n\n"
             "Decode the frames of src[pos:end] that need nothing but the fast path.\n\n"
             "Appends headers, payload for each (headers from cache, keyed by the header\n"
             "block bytes) and returns where it stopped: end, or the start of the first\n"
             "frame left to the Python decoder.");

static PyObject *scan_frames(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
  (void) module;
  if (nargs != 5) {
    PyErr_Format(PyExc_TypeError, "scan_frames() takes 5 arguments (%zd given)", nargs);
    return NULL;
  }
  PyObject *src = args[0], *cache = args[3], *out = args[4];
  if (!PyBytes_CheckExact(src) || !PyDict_CheckExact(cache) || !PyList_CheckExact(out)) {
    PyErr_SetString(PyExc_TypeError, "scan_frames() takes bytes, int, int, dict, list");
    return NULL;
  }
  Py_ssize_t pos = PyLong_AsSsize_t(args[1]);
  if (pos == -1 && PyErr_Occurred()) return NULL;
  Py_ssize_t end = PyLong_AsSsize_t(args[2]);
  if (end == -1 && PyErr_Occurred()) return NULL;
  if (pos < 0 || end > PyBytes_GET_SIZE(src) || pos > end) {
    PyErr_SetString(PyExc_ValueError, "scan_frames(): positions outside the buffer");
    return NULL;
  }
  const unsigned char *buf = (const unsigned char *) PyBytes_AS_STRING(src);
  /* First every check (CRCs are most of the work), then the objects.  On a read
   * of 64 KiB or more the checks run without the GIL, so that threads reading
   * other streams make progress meanwhile; src is immutable and held by the
   * caller. */
  Py_ssize_t good_end;
  if (end - pos >= NOGIL_BYTES) {
    Py_BEGIN_ALLOW_THREADS
    good_end = checked_run(buf, pos, end);
    Py_END_ALLOW_THREADS
  } else {
    good_end = checked_run(buf, pos, end);
  }
  /* The last header block found, so that a repeated block (most frames) is
   * matched with memcmp instead of a new bytes key and a dict lookup.  The
   * cache is not changed during this call, so the match gives the same dict. */
  PyObject *last_key = NULL, *last_headers = NULL;
  while (pos < good_end) {
    const unsigned char *p = buf + pos;
    uint32_t total = be32(p), headers_len = be32(p + 4);
    const unsigned char *block = p + PRELUDE_LENGTH;
    PyObject *headers;
    if (last_key != NULL && (Py_ssize_t) headers_len == PyBytes_GET_SIZE(last_key) &&
        memcmp(block, PyBytes_AS_STRING(last_key), headers_len) == 0) {
      headers = last_headers;
    } else {
      PyObject *key = PyBytes_FromStringAndSize((const char *) block, headers_len);
      if (key == NULL) goto fail;
      headers = PyDict_GetItemWithError(cache, key); /* borrowed */
      if (headers == NULL) {
        Py_DECREF(key);
        if (PyErr_Occurred()) goto fail;
        break; /* a new header block: Python parses and caches it */
      }
      Py_XDECREF(last_key);
      Py_XDECREF(last_headers);
      last_key = key;
      Py_INCREF(headers);
      last_headers = headers;
    }
    Py_ssize_t payload_len = (Py_ssize_t) total - MIN_FRAME_LENGTH - headers_len;
    PyObject *payload = PyBytes_FromStringAndSize((const char *) block + headers_len, payload_len);
    if (payload == NULL) goto fail;
    if (PyList_Append(out, headers) < 0 || PyList_Append(out, payload) < 0) {
      Py_DECREF(payload);
      goto fail;
    }
    Py_DECREF(payload);
    pos += total;
  }
  Py_XDECREF(last_key);
  Py_XDECREF(last_headers);
  return PyLong_FromSsize_t(pos);
fail:
  Py_XDECREF(last_key);
  Py_XDECREF(last_headers);
  return NULL;
}

PyDoc_STRVAR(build_events_doc,
             "build_events(pairs, start, headers, event_type, member, out, limit, held=False, /)"
             "\n--\n\n"
             "Append {event_type: {member: payload}} to out for each pair of the flat\n"
             "[headers, payload, ...] list from index start on whose headers is the given\n"
             "object, at most limit of them; return the index of the first pair left.\n\n"
             "With held true the events are left out of the cycle collector's lists until\n"
             "track_events() puts them back (see there).");

static PyObject *build_events(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
  (void) module;
  if (nargs != 7 && nargs != 8) {
    PyErr_Format(PyExc_TypeError, "build_events() takes 7 or 8 arguments (%zd given)", nargs);
    return NULL;
  }
  int held = 0;
  if (nargs == 8 && (held = PyObject_IsTrue(args[7])) < 0) return NULL;
  PyObject *pairs = args[0], *headers = args[2], *event_type = args[3], *member = args[4];
  PyObject *out = args[5];
  if (!PyList_CheckExact(pairs) || !PyList_CheckExact(out)) {
    PyErr_SetString(PyExc_TypeError, "build_events() takes a list of pairs and an output list");
    return NULL;
  }
  Py_ssize_t i = PyLong_AsSsize_t(args[1]);
  if (i == -1 && PyErr_Occurred()) return NULL;
  if (i < 0) i = 0;
  Py_ssize_t limit = PyLong_AsSsize_t(args[6]);
  if (limit == -1 && PyErr_Occurred()) return NULL;
  /* The list cannot change under us: nothing here runs Python code (str keys,
   * whose hashes are cached, in new dicts). */
  while (limit-- > 0 && i + 1 < PyList_GET_SIZE(pairs) && PyList_GET_ITEM(pairs, i) == headers) {
    PyObject *inner = PyDict_New();
    if (inner == NULL) return NULL;
    if (PyDict_SetItem(inner, member, PyList_GET_ITEM(pairs, i + 1)) < 0) {
      Py_DECREF(inner);
      return NULL;
    }
    PyObject *event = PyDict_New();
    if (event == NULL) {
      Py_DECREF(inner);
      return NULL;
    }
    int bad = PyDict_SetItem(event, event_type, inner);
    Py_DECREF(inner);
    /* Holding a dict only this caller can reach (see track_events()). */
    if (!bad && held && PyObject_GC_IsTracked(event)) PyObject_GC_UnTrack(event);
    if (bad < 0 || PyList_Append(out, event) < 0) {
      Py_DECREF(event);
      return NULL;
    }
    Py_DECREF(event);
    i += 2;
  }
  return PyLong_FromSsize_t(i);
}

PyDoc_STRVAR(track_events_doc,
             "track_events(events, /)\n--\n\n"
             "Put the dicts of the list that build_events(..., held=True) made back into the\n"
             "cycle collector's lists.\n\n"
             "The client's default mode keeps every event of a stream until the call returns.\n"
             "Tracked as they are made, 16,384 of them make the collector run full\n"
             "collections over the whole process during the read (a third of its time).\n"
             "Held back, they cannot be in a reference cycle -- nothing but the client\n"
             "reaches them, and they hold only a dict of bytes -- and they are tracked again,\n"
             "as any dict, before the caller sees them, whatever way the call ends.");

static PyObject *track_events(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
  (void) module;
  if (nargs != 1 || !PyList_CheckExact(args[0])) {
    PyErr_SetString(PyExc_TypeError, "track_events() takes a list");
    return NULL;
  }
  PyObject *events = args[0];
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(events); i++) {
    PyObject *event = PyList_GET_ITEM(events, i);
    if (PyDict_CheckExact(event) && !PyObject_GC_IsTracked(event)) PyObject_GC_Track(event);
  }
  Py_RETURN_NONE;
}

PyDoc_STRVAR(crc32_doc,
             "crc32(data, value=0, /)\n--\n\n"
             "CRC-32 of a bytes-like object, continuing from value: zlib.crc32's result.");

static PyObject *crc32(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
  (void) module;
  if (nargs < 1 || nargs > 2) {
    PyErr_Format(PyExc_TypeError, "crc32() takes 1 or 2 arguments (%zd given)", nargs);
    return NULL;
  }
  uint32_t value = 0;
  if (nargs == 2) {
    unsigned long v = PyLong_AsUnsignedLongMask(args[1]);
    if (v == (unsigned long) -1 && PyErr_Occurred()) return NULL;
    value = (uint32_t) v;
  }
  Py_buffer view;
  if (PyObject_GetBuffer(args[0], &view, PyBUF_SIMPLE) < 0) return NULL;
  uint32_t crc = crc_maybe_nogil(value, (const unsigned char *) view.buf, (size_t) view.len);
  PyBuffer_Release(&view);
  return PyLong_FromUnsignedLong(crc);
}

PyDoc_STRVAR(dechunk_doc,
             "dechunk(buf, pos, left, crlf, trailers, /)\n--\n\n"
             "The fast path of pawscore.http._dechunked: the data of the HTTP chunks in\n"
             "buf[pos:] and the parser state after them, as (data, pos, left, crlf,\n"
             "trailers, done).  Stops when it needs more bytes, at the end of the body\n"
             "(done), or before a chunk-size line it leaves to Python (pos at its start).");

/* The chunk size on buf[start:end) (a line without its \n) when it is plain: hex
 * digits, at most 15 of them, optional spaces, tabs and \r around them, anything
 * after a ';'.  -1 for every other line, which Python then reads (and refuses, or
 * takes when it is valid but long). */
static long long plain_chunk_size(const unsigned char *buf, Py_ssize_t start, Py_ssize_t end) {
  const unsigned char *semi = memchr(buf + start, ';', (size_t) (end - start));
  if (semi != NULL) end = semi - buf;
  while (start < end && (buf[start] == ' ' || buf[start] == '\t' || buf[start] == '\r')) start++;
  while (end > start && (buf[end - 1] == ' ' || buf[end - 1] == '\t' || buf[end - 1] == '\r')) end--;
  if (end == start || end - start > 15) return -1;
  long long size = 0;
  for (Py_ssize_t i = start; i < end; i++) {
    unsigned char c = buf[i];
    int digit;
    if (c >= '0' && c <= '9') digit = c - '0';
    else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    else return -1;
    size = size * 16 + digit;
  }
  return size;
}

static PyObject *dechunk(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
  (void) module;
  if (nargs != 5) {
    PyErr_Format(PyExc_TypeError, "dechunk() takes 5 arguments (%zd given)", nargs);
    return NULL;
  }
  PyObject *src = args[0];
  if (!PyBytes_CheckExact(src)) {
    PyErr_SetString(PyExc_TypeError, "dechunk() takes bytes");
    return NULL;
  }
  Py_ssize_t n = PyBytes_GET_SIZE(src);
  Py_ssize_t pos = PyLong_AsSsize_t(args[1]);
  if (pos == -1 && PyErr_Occurred()) return NULL;
  long long left = PyLong_AsLongLong(args[2]);
  if (left == -1 && PyErr_Occurred()) return NULL;
  long crlf = PyLong_AsLong(args[3]);
  if (crlf == -1 && PyErr_Occurred()) return NULL;
  int trailers = PyObject_IsTrue(args[4]);
  if (trailers < 0) return NULL;
  if (pos < 0 || pos > n || left < 0 || crlf < 0 || crlf > 2) {
    PyErr_SetString(PyExc_ValueError, "dechunk(): state out of range");
    return NULL;
  }
  const unsigned char *buf = (const unsigned char *) PyBytes_AS_STRING(src);
  PyObject *data = PyBytes_FromStringAndSize(NULL, n - pos); /* at most this much data */
  if (data == NULL) return NULL;
  char *write = PyBytes_AS_STRING(data);
  Py_ssize_t written = 0;
  int done = 0;
  for (;;) {
    if (left > 0) {
      Py_ssize_t take = n - pos < left ? n - pos : (Py_ssize_t) left;
      if (take == 0) break;
      memcpy(write + written, buf + pos, (size_t) take);
      written += take;
      pos += take;
      left -= take;
      if (left > 0) break;
      crlf = 2;
    }
    if (crlf > 0) {
      Py_ssize_t skip = n - pos < crlf ? n - pos : crlf;
      pos += skip;
      crlf -= (long) skip;
      if (crlf > 0) break;
    }
    const unsigned char *nl = memchr(buf + pos, '\n', (size_t) (n - pos));
    if (nl == NULL) break; /* Python checks the length of a line still open */
    Py_ssize_t end = nl - buf;
    if (trailers) {
      Py_ssize_t i = pos;
      while (i < end && buf[i] == '\r') i++;
      pos = end + 1;
      if (i == end) { /* the empty line after the trailers: the body is complete */
        done = 1;
        break;
      }
      continue;
    }
    long long size = plain_chunk_size(buf, pos, end);
    if (size < 0) break; /* Python reads this line */
    left = size;
    trailers = size == 0;
    pos = end + 1;
  }
  if (written != PyBytes_GET_SIZE(data) && _PyBytes_Resize(&data, written) < 0) return NULL;
  return Py_BuildValue("(NnLlOO)", data, pos, left, crlf, trailers ? Py_True : Py_False,
                       done ? Py_True : Py_False);
}

static PyMethodDef methods[] = {
  {"scan_frames", (PyCFunction) (void (*)(void)) scan_frames, METH_FASTCALL, scan_frames_doc},
  {"build_events", (PyCFunction) (void (*)(void)) build_events, METH_FASTCALL, build_events_doc},
  {"track_events", (PyCFunction) (void (*)(void)) track_events, METH_FASTCALL, track_events_doc},
  {"crc32", (PyCFunction) (void (*)(void)) crc32, METH_FASTCALL, crc32_doc},
  {"dechunk", (PyCFunction) (void (*)(void)) dechunk, METH_FASTCALL, dechunk_doc},
  {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *module) {
  (void) module;
  pawscore_crc32_init();
  return 0;
}

static PyModuleDef_Slot slots[] = {
  {Py_mod_exec, (void *) exec_module},
  {0, NULL},
};

static struct PyModuleDef native_module = {
  PyModuleDef_HEAD_INIT,
  .m_name = "pawscore._native",
  .m_doc = "C fast path of the event-stream decoder and event builder (optional).",
  .m_size = 0,
  .m_methods = methods,
  .m_slots = slots,
};

PyMODINIT_FUNC PyInit__native(void) { return PyModuleDef_Init(&native_module); }
