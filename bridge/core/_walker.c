/* The walker's hot loop in C: bridge.core.walker's Walk.records() and bridge.core.header's
 * HeaderText.consume() fused into one flat loop (the optional accelerator of the pure backend).
 *
 * Why this shape.  Every decision ImageJ makes about an element lives in Python, in a Plan
 * (walker.decide / decide_long / plan_line), made once per distinct header and kept in the
 * plan tables.  This loop only does what the Python loop does per element -- look the plan up,
 * move the position and ImageJ's offset counter, apply the plan's side effects, write the line --
 * reading the plans' slots directly.  Anything that is not per-element bookkeeping (a new plan,
 * a new number line, the special tags' text, window moves, the errors) calls the very Python
 * function the reference path calls; only limits.py's Nesting is mirrored here, on a C stack.  So both paths share one set of rules and the C side
 * cannot drift from them; tests/core/test_native.py compares the two record by record.
 *
 * Safety.  The bytes are hostile: every read of the window is checked against its length first
 * (a header, a long VR's length, a value), positions are 64-bit and only ever compared after
 * adding non-negative amounts smaller than 2^32, the loop is flat (nesting is counted on a C stack
 * by limits.py's rules, refused past the walk's Nesting.limit: max_depth), and the buffers grow
 * with checked sizes.
 * Every object taken from a plan is held by a reference while Python code may run.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>
#include <string.h>
#include <limits.h>

/* walker.py's flags, actions and effects (checked against the module by native.py at import) */
enum { LITTLE = 1, BIG_SYNTAX = 2, IN_SEQUENCE = 4, ACQUISITION = 8, ODD = 16, ODD_NEXT = 32, STATES = 64 };
enum { PLAIN = 0, PASSES = 1, LONG_VR = 2, SWITCH = 3, EFFECTS = 4, UNLISTED = 5 };
enum { OPENS = 1, STOP = 2, FAIL = 4, DELIMITS = 8, ITEM_OPENS = 16, NO_RECORD = 32, ACQ_ON = 64,
       ACQ_OFF = 128, WALKS_INTO = 256, SYNTAX = 512, ODD_NOW = 1024, PARITY = 2048 };
/* header.py's line modes */
enum { TEXT_LINE = 0, NO_LINE = 1, FIXED_LINE = 2, BY_VR = 3, BY_SPECIAL = 4, LOCATION_LINE = 5, PICK = 8 };
#define ITEM_TAG 0xFFFEE000L

/* The Plan slots this loop reads, by their offset in the object (found at bind time). */
enum { S_ACTION, S_SIZE, S_N, S_STEP, S_ADVANCE, S_DRIFT, S_EFFECTS, S_TAG, S_LENGTH, S_SHIFT,
       S_FAIL_LENGTH, S_BY_LENGTH, S_LINE, S_TEXT_START, N_SLOTS };
static const char *slot_names[N_SLOTS] = {
    "action", "size", "n", "step", "advance", "drift", "effects", "tag", "length", "shift",
    "fail_length", "by_length", "line", "text_start"};
static Py_ssize_t slot_offset[N_SLOTS];

/* What native.bind() hands over: the Plan class and the Python functions called off the fast path. */
static PyTypeObject *plan_type = NULL;
static PyObject *decide_long = NULL;    /* (stub, length, state) -> Plan */
static PyObject *plan_line = NULL;      /* (plan) -> (mode, start, shown_lines) */
static PyObject *by_vr_line = NULL;     /* (plan, start, value, shown_lines) -> bytes */
static PyObject *special_line = NULL;   /* (plan, start, value, location, shown_lines) -> bytes */
static PyObject *read_error = NULL;     /* bridge.errors.DicomReadError */
static PyObject *big_endian_uid = NULL; /* bytes */

/* attribute and method names, interned once */
static PyObject *s_negative_array, *s_compressed, *s_preamble, *s_dicm_found, *s_buf, *s_base, *s_size, *s_src, *s_pos,
                *s_nesting, *s_limit;

/* -- plan slots ------------------------------------------------------------------------ */

static inline PyObject *slot(PyObject *plan, int which) {
    return *(PyObject **)((char *)plan + slot_offset[which]);
}

/* An int slot; -1 with an exception set when it is not one (never for plans walker.py makes). */
static inline long long int_slot(PyObject *plan, int which) {
    PyObject *v = slot(plan, which);
    if (v == NULL || !PyLong_CheckExact(v)) {
        PyErr_Format(PyExc_TypeError, "Plan.%s is not an int", slot_names[which]);
        return -1;
    }
    return PyLong_AsLongLong(v);
}
#define INT_SLOT(var, plan, which) do { var = int_slot(plan, which); if (var == -1 && PyErr_Occurred()) goto fail; } while (0)

/* -- the text, cleaned as it is written --------------------------------------------------- */

typedef struct { char *data; size_t len, cap; } Text;

static unsigned char clean_byte[256];   /* getDicomInfo's clean-up: control bytes but LF -> space */

static int text_add(Text *t, const char *src, size_t n) {
    if (n > t->cap - t->len) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap - t->len < n) {
            if (cap > ((size_t)PY_SSIZE_T_MAX) / 2) { PyErr_NoMemory(); return -1; }
            cap *= 2;
        }
        char *grown = PyMem_Realloc(t->data, cap);
        if (grown == NULL) { PyErr_NoMemory(); return -1; }
        t->data = grown;
        t->cap = cap;
    }
    unsigned char *out = (unsigned char *)t->data + t->len;
    if (n > 0) memcpy(out, src, n);
    /* the clean-up, eight bytes at a time: only a word holding a byte below 0x20 is looked at
     * byte by byte (has_less(x, 0x20) of "Bit Twiddling Hacks"; the test is exact for bytes < 0x80
     * and may flag a word for nothing, never miss one) */
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t word;
        memcpy(&word, out + i, 8);
        if (((word - 0x2020202020202020ULL) & ~word & 0x8080808080808080ULL) == 0) continue;
        for (size_t j = i; j < i + 8; j++) out[j] = clean_byte[out[j]];
    }
    for (; i < n; i++) out[i] = clean_byte[out[i]];
    t->len += n;
    return 0;
}

static int text_add_bytes(Text *t, PyObject *b) {
    if (!PyBytes_Check(b)) { PyErr_SetString(PyExc_TypeError, "a header line part is not bytes"); return -1; }
    return text_add(t, PyBytes_AS_STRING(b), (size_t)PyBytes_GET_SIZE(b));
}

/* -- one record: header.py's HeaderText.consume for (plan, value, location) --------------- */

/* value: the value's bytes in the window (data, n), or data NULL for none. */
static int emit(Text *t, PyObject *picked, PyObject *plan, const char *data, Py_ssize_t n, long long location) {
    PyObject *start = slot(plan, S_TEXT_START);
    if (start != NULL && start != Py_None) {         /* most lines: start + the value as read + LF */
        if (data == NULL) { PyErr_SetString(PyExc_TypeError, "a text line without a value"); return -1; }
        if (text_add_bytes(t, start) < 0 || text_add(t, data, (size_t)n) < 0) return -1;
        return text_add(t, "\n", 1);
    }
    PyObject *line = slot(plan, S_LINE);
    if (line == NULL || line == Py_None) {
        line = PyObject_CallOneArg(plan_line, plan);
        if (line == NULL) return -1;
    } else {
        Py_INCREF(line);
    }
    int rc = -1;
    PyObject *value = NULL, *shown = NULL;
    if (!PyTuple_CheckExact(line) || PyTuple_GET_SIZE(line) != 3) {
        PyErr_SetString(PyExc_TypeError, "Plan.line is not a (mode, start, shown) tuple");
        goto done;
    }
    long mode = PyLong_AsLong(PyTuple_GET_ITEM(line, 0));
    if (mode == -1 && PyErr_Occurred()) goto done;
    start = PyTuple_GET_ITEM(line, 1);
    if (data != NULL) {
        value = PyBytes_FromStringAndSize(data, n);
        if (value == NULL) goto done;
    } else {
        value = Py_NewRef(Py_None);
    }
    if (mode & PICK) {
        mode &= ~PICK;
        if (picked != Py_None) {
            PyObject *loc = PyLong_FromLongLong(location);
            if (loc == NULL) goto done;
            PyObject *record = PyTuple_Pack(3, plan, value, loc);
            Py_DECREF(loc);
            if (record == NULL) goto done;
            int added = PyList_Append(picked, record);
            Py_DECREF(record);
            if (added < 0) goto done;
        }
    }
    switch (mode) {
    case TEXT_LINE:
        if (data == NULL) { PyErr_SetString(PyExc_TypeError, "a text line without a value"); goto done; }
        if (text_add_bytes(t, start) < 0 || text_add(t, data, (size_t)n) < 0 || text_add(t, "\n", 1) < 0) goto done;
        break;
    case FIXED_LINE:
        if (text_add_bytes(t, start) < 0) goto done;
        break;
    case BY_VR: {                                    /* numbers: lines memoised by value */
        PyObject *lines = PyTuple_GET_ITEM(line, 2);
        if (data == NULL || !PyDict_CheckExact(lines)) { PyErr_SetString(PyExc_TypeError, "a BY_VR line without a value"); goto done; }
        shown = PyDict_GetItemWithError(lines, value);
        if (shown != NULL) {
            Py_INCREF(shown);
        } else {
            if (PyErr_Occurred()) goto done;
            shown = PyObject_CallFunctionObjArgs(by_vr_line, plan, start, value, lines, NULL);
            if (shown == NULL) goto done;
        }
        if (text_add_bytes(t, shown) < 0) goto done;
        break;
    }
    case BY_SPECIAL: {                               /* by value too, but for pixel data (no value) */
        PyObject *lines = PyTuple_GET_ITEM(line, 2);
        if (!PyDict_CheckExact(lines)) { PyErr_SetString(PyExc_TypeError, "Plan.line's lines are not a dict"); goto done; }
        if (data != NULL) {
            shown = PyDict_GetItemWithError(lines, value);
            if (shown == NULL && PyErr_Occurred()) goto done;
            Py_XINCREF(shown);
        }
        if (shown == NULL) {
            PyObject *loc = PyLong_FromLongLong(location);
            if (loc == NULL) goto done;
            shown = PyObject_CallFunctionObjArgs(special_line, plan, start, value, loc, lines, NULL);
            Py_DECREF(loc);
            if (shown == NULL) goto done;
        }
        if (text_add_bytes(t, shown) < 0) goto done;
        break;
    }
    case LOCATION_LINE: {                            /* pixel data: its offset */
        char digits[32];
        int k = snprintf(digits, sizeof digits, "%lld\n", location);
        if (k < 0 || (size_t)k >= sizeof digits) { PyErr_SetString(PyExc_ValueError, "an offset too long"); goto done; }
        if (text_add_bytes(t, start) < 0 || text_add(t, digits, (size_t)k) < 0) goto done;
        break;
    }
    default:                                         /* NO_LINE */
        break;
    }
    rc = 0;
done:
    Py_XDECREF(shown);
    Py_XDECREF(value);
    Py_DECREF(line);
    return rc;
}

/* -- the window ---------------------------------------------------------------------------- */

typedef struct {
    PyObject *walk, *src;
    PyObject *buf;              /* the window (a strong reference): file bytes [base, base + limit) */
    long long base, limit;
} Window;

static int window_load(Window *w) {
    PyObject *buf = PyObject_GetAttr(w->src, s_buf);
    if (buf == NULL) return -1;
    if (!PyBytes_Check(buf)) { Py_DECREF(buf); PyErr_SetString(PyExc_TypeError, "ByteSource.buf is not bytes"); return -1; }
    PyObject *base = PyObject_GetAttr(w->src, s_base);
    if (base == NULL) { Py_DECREF(buf); return -1; }
    long long b = PyLong_AsLongLong(base);
    Py_DECREF(base);
    if (b == -1 && PyErr_Occurred()) { Py_DECREF(buf); return -1; }
    Py_XSETREF(w->buf, buf);
    w->base = b;
    w->limit = PyBytes_GET_SIZE(buf);
    return 0;
}

/* Walk._move_window(pos, n, element_start): the window holds [pos, pos + n), or the end of data raised. */
static int window_move(Window *w, long long pos, long long n, int element_start) {
    PyObject *r = PyObject_CallMethod(w->walk, "_move_window", "LLO", pos, n, element_start ? Py_True : Py_False);
    if (r == NULL) return -1;
    Py_DECREF(r);
    if (window_load(w) < 0) return -1;
    if (pos < w->base || pos - w->base + n > w->limit) {
        PyErr_SetString(PyExc_AssertionError, "the window does not hold the bytes asked for");
        return -1;
    }
    return 0;
}

/* Whether needle (k > 0 bytes) occurs in haystack (n bytes): memmem is not everywhere. */
static int contains(const char *haystack, Py_ssize_t n, const char *needle, Py_ssize_t k) {
    for (Py_ssize_t i = 0; i + k <= n; i++)
        if (haystack[i] == needle[0] && memcmp(haystack + i, needle, (size_t)k) == 0) return 1;
    return 0;
}

static inline uint64_t load_u64_le(const unsigned char *p) {
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline int32_t load_i32(const unsigned char *p, int little) {
    uint32_t u = little ? ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24)
                        : ((uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24);
    return (int32_t)u;
}

/* -- nesting: limits.py's Nesting, the same rules on a C stack ------------------------------- */

/* One open container: where it ends (clamped to its parent's end), whether its length is
 * undefined (a delimiter closes it), and what it adds to the depth (1 for a sequence, 0 for an item). */
typedef struct { long long end; int undefined, weight; } Open;

typedef struct {
    PyObject *nesting;          /* the walk's Nesting: its limit, and its refusal (too_deep) */
    long long limit, depth;
    Open *open;
    size_t count, cap;
} Nesting;

static void nesting_pop_finished(Nesting *n, long long pos) {
    while (n->count > 0 && n->open[n->count - 1].end <= pos) n->depth -= n->open[--n->count].weight;
}

/* Nesting.enter: a sequence (or an item) starts at pos; end < 0 for an undefined length. */
static int nesting_enter(Nesting *n, long long pos, long long end, int defined, int item) {
    nesting_pop_finished(n, pos);
    if (!item) {
        if (n->depth >= n->limit) {
            PyObject *exc = PyObject_CallMethod(n->nesting, "too_deep", "L", pos);
            if (exc != NULL) {
                PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
                Py_DECREF(exc);
            }
            return -1;
        }
        n->depth += 1;
    }
    if (n->count == n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 16;
        if (cap > ((size_t)PY_SSIZE_T_MAX) / sizeof(Open)) { PyErr_NoMemory(); return -1; }
        Open *grown = PyMem_Realloc(n->open, cap * sizeof(Open));
        if (grown == NULL) { PyErr_NoMemory(); return -1; }
        n->open = grown;
        n->cap = cap;
    }
    long long outer = n->count ? n->open[n->count - 1].end : LLONG_MAX;
    Open *top = &n->open[n->count++];
    top->end = (!defined || end > outer) ? outer : end;
    top->undefined = !defined;
    top->weight = item ? 0 : 1;
    return 0;
}

/* Nesting.leave: a delimiter at pos closes the innermost container of undefined length. */
static void nesting_leave(Nesting *n, long long pos) {
    nesting_pop_finished(n, pos);
    while (n->count > 0) {
        Open *top = &n->open[--n->count];
        n->depth -= top->weight;
        if (top->undefined) return;
    }
}

/* -- the plan cache: a header's plan without a Python int or a dict lookup ------------------- */

/* The plan tables are dicts keyed by Python ints: a lookup makes an int of the 8 header bytes,
 * hashes it and probes the dict (about half of the loop's time for a plain element).  This
 * two-way set-associative cache keeps, for recently met (header, state) pairs, the plan and the
 * three slots the fast path reads, as C values (a pass over pydicom's 77 test files meets ~1,500
 * plans: direct-mapped, a third of them evicted each other).  A new entry takes a set's first way
 * and moves the first to the second.  A plan is a pure function of its header bytes, the state and
 * the dictionary, and its slots other than the text memos (read from the plan each time) never
 * change once it is in a table, so a cached plan is always the plan the table holds or would
 * hold.  The cache belongs to one tables list (one dictionary): another list flushes it, so does
 * walker.forget_plans() (a new generation), which keeps "plans cold" honest. */
#define CACHE_BITS 12                   /* 4,096 sets of two */
#define CACHE_SIZE (2 << CACHE_BITS)
typedef struct { uint64_t key; PyObject *plan; long long action, size, step; int state; } Cached;
static Cached cache[CACHE_SIZE];
static PyObject *cache_tables = NULL;   /* the tables list the cached plans come from (a strong reference) */
static long long cache_generation = -1;

static void cache_flush(void) {
    for (size_t i = 0; i < CACHE_SIZE; i++) Py_CLEAR(cache[i].plan);
}

/* At the start of a walk: the cache serves `tables` of this generation, or is emptied for them. */
static void cache_bind(PyObject *tables, long long generation) {
    if (tables == cache_tables && generation == cache_generation) return;
    cache_flush();
    Py_XSETREF(cache_tables, Py_NewRef(tables));
    cache_generation = generation;
}

/* The set of (key, state): its two entries. */
static inline Cached *cache_set(uint64_t key, int state) {
    uint64_t h = (key ^ ((uint64_t)state << 56)) * 0x9E3779B97F4A7C15ULL;
    return &cache[2 * (h >> (64 - CACHE_BITS))];
}

/* The entry of (key, state) in `tables`' cache, or NULL. */
static inline Cached *cache_get(PyObject *tables, uint64_t key, int state) {
    if (tables != cache_tables) return NULL;
    Cached *set = cache_set(key, state);
    for (int way = 0; way < 2; way++)
        if (set[way].plan != NULL && set[way].key == key && set[way].state == state) return &set[way];
    return NULL;
}

/* Remember `plan` (a Plan from `tables`) for (key, state); -1 with an exception if a slot is not an int. */
static int cache_put(PyObject *tables, uint64_t key, int state, PyObject *plan) {
    if (tables != cache_tables) return 0;          /* another thread rebound the cache meanwhile */
    long long action = int_slot(plan, S_ACTION), size, step;
    if (action == -1 && PyErr_Occurred()) return -1;
    size = int_slot(plan, S_SIZE);
    if (size == -1 && PyErr_Occurred()) return -1;
    step = int_slot(plan, S_STEP);
    if (step == -1 && PyErr_Occurred()) return -1;
    Cached *e = cache_set(key, state);
    PyObject *old = e[1].plan;                     /* the second way's plan leaves, the first moves there */
    e[1] = e[0];
    e->plan = Py_NewRef(plan);
    e->key = key;
    e->state = state;
    e->action = action;
    e->size = size;
    e->step = step;
    Py_XDECREF(old);                               /* last: its deallocation may run Python code */
    return 0;
}

/* Raise the exception object a Walk method returns (walk._negative_array(...), walk._compressed(...)). */
static void raise_returned(PyObject *walk, PyObject *name, PyObject *arg1, PyObject *arg2) {
    PyObject *exc = PyObject_CallMethodObjArgs(walk, name, arg1, arg2, NULL);
    if (exc == NULL) return;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
}

/* Whether the file starts as most do: 'DICM' at 128 in the first window (Walk.preamble() then only
 * sets dicm_found and moves to byte 132); 0 for everything else, which Walk.preamble() handles. */
static int preamble_at_hand(Window *w) {
    PyObject *size_obj = PyObject_GetAttr(w->src, s_size);
    if (size_obj == NULL) return -1;
    long long size = PyLong_AsLongLong(size_obj);
    Py_DECREF(size_obj);
    if (size == -1 && PyErr_Occurred()) return -1;
    return size >= 132 && w->base == 0 && w->limit >= 132 &&
           memcmp(PyBytes_AS_STRING(w->buf) + 128, "DICM", 4) == 0;
}

/* -- the walk ------------------------------------------------------------------------------ */

/* The records of Walk.records() written as HeaderText.consume() writes them; 0, or -1 with an exception. */
static int run(PyObject *walk, PyObject *tables, Nesting *nesting, PyObject *picked, Text *t) {
    Window w = {walk, NULL, NULL, 0, 0};
    PyObject *plan = NULL, *key = NULL;
    w.src = PyObject_GetAttr(walk, s_src);
    if (w.src == NULL || window_load(&w) < 0) goto fail;
    long long off;                                              /* the next header, as an index into the window */
    int preamble = preamble_at_hand(&w);
    if (preamble < 0) goto fail;
    if (preamble) {                                             /* Walk.preamble()'s common case, without the call */
        if (PyObject_SetAttr(walk, s_dicm_found, Py_True) < 0) goto fail;
        off = 132;
    } else {
        PyObject *r = PyObject_CallMethodNoArgs(walk, s_preamble);
        if (r == NULL) goto fail;
        Py_DECREF(r);
        if (window_load(&w) < 0) goto fail;                     /* the preamble may have moved the window */
        PyObject *pos_obj = PyObject_GetAttr(walk, s_pos);
        if (pos_obj == NULL) goto fail;
        off = PyLong_AsLongLong(pos_obj) - w.base;
        Py_DECREF(pos_obj);
        if (PyErr_Occurred()) goto fail;
    }
    if (!PyList_CheckExact(tables) || PyList_GET_SIZE(tables) != STATES) {
        PyErr_SetString(PyExc_TypeError, "plan tables: a list of 64 dicts expected");
        goto fail;
    }
    long long drift = 0;                                        /* ImageJ's offset counter minus the file position */
    int state = LITTLE;
    PyObject *table = PyList_GET_ITEM(tables, state);
    for (unsigned long count = 1;; count++) {
        if ((count & 0xFFFF) == 0 && PyErr_CheckSignals() < 0) goto fail;   /* Ctrl-C in a huge header */
        if (off < 0 || off + 8 > w.limit) {                     /* the window ends inside this header */
            if (window_move(&w, w.base + off, 8, 1) < 0) goto fail;
            off = 0;
        }
        const unsigned char *bytes = (const unsigned char *)PyBytes_AS_STRING(w.buf);
        uint64_t raw_key = load_u64_le(bytes + off);
        Cached *hit = cache_get(tables, raw_key, state);
        long long action, size, step;
        int known = 0;                                          /* the plan was in the tables before */
        if (hit != NULL) {
            plan = Py_NewRef(hit->plan);
            action = hit->action;
            size = hit->size;
            step = hit->step;
            known = 1;
        } else {
            key = PyLong_FromUnsignedLongLong(raw_key);
            if (key == NULL) goto fail;
            if (!PyDict_CheckExact(table)) { PyErr_SetString(PyExc_TypeError, "a plan table is not a dict"); goto fail; }
            plan = PyDict_GetItemWithError(table, key);
            if (plan != NULL) {
                Py_INCREF(plan);
                Py_CLEAR(key);
                if (Py_TYPE(plan) != plan_type) { PyErr_SetString(PyExc_TypeError, "a plan table holds a non-Plan"); goto fail; }
                INT_SLOT(action, plan, S_ACTION);
                INT_SLOT(size, plan, S_SIZE);
                INT_SLOT(step, plan, S_STEP);
                if (cache_put(tables, raw_key, state, plan) < 0) goto fail;
                known = 1;
            } else {
                if (PyErr_Occurred()) goto fail;
                plan = PyObject_CallMethod(walk, "plan_for", "OOi", table, key, state);
                Py_CLEAR(key);
                if (plan == NULL) goto fail;
                if (Py_TYPE(plan) != plan_type) { PyErr_SetString(PyExc_TypeError, "decide made a non-Plan"); goto fail; }
                if (cache_put(tables, raw_key, state, plan) < 0) goto fail;
            }
        }
        if (known) {
            if (action == PLAIN) {                              /* the common case: a plain element, its value at hand */
                if (step >= 0 && off + step <= w.limit) {
                    long long start = off + size;
                    if (size < 0 || start > off + step) { PyErr_SetString(PyExc_ValueError, "bad plan"); goto fail; }
                    if (emit(t, picked, plan, (const char *)bytes + start, (Py_ssize_t)(step - size),
                             start + w.base + drift) < 0) goto fail;
                    off += step;
                    Py_CLEAR(plan);
                    continue;
                }
            } else if (action == UNLISTED) {                    /* sequence items and their delimiters */
                long long effects, length;
                INT_SLOT(effects, plan, S_EFFECTS);
                long long start = w.base + off + size;
                if (effects & DELIMITS) {
                    state &= ~IN_SEQUENCE;
                    table = PyList_GET_ITEM(tables, state);
                    nesting_leave(nesting, start);
                } else if (effects & ITEM_OPENS) {
                    INT_SLOT(length, plan, S_LENGTH);
                    if (nesting_enter(nesting, start, start + length, 1, 1) < 0) goto fail;
                }
                off += size;
                Py_CLEAR(plan);
                continue;
            }
        }
        /* the general path: long VRs, switches, window moves, skips and side effects */
        long long pos = w.base + off;
        INT_SLOT(action, plan, S_ACTION);
        if (action == LONG_VR) {
            if (off + 12 > w.limit) {
                if (window_move(&w, pos + 8, 4, 0) < 0) goto fail;
                off = pos - w.base;
            }
            if (off + 8 < 0 || off + 12 > w.limit) { PyErr_SetString(PyExc_AssertionError, "long VR length outside the window"); goto fail; }
            int32_t length = load_i32((const unsigned char *)PyBytes_AS_STRING(w.buf) + off + 8, state & LITTLE);
            PyObject *by_length = slot(plan, S_BY_LENGTH);
            if (by_length == NULL || !PyDict_CheckExact(by_length)) { PyErr_SetString(PyExc_TypeError, "Plan.by_length"); goto fail; }
            key = PyLong_FromLong(length);
            if (key == NULL) goto fail;
            PyObject *known = PyDict_GetItemWithError(by_length, key);
            PyObject *next;
            if (known != NULL) {
                next = Py_NewRef(known);
            } else {
                if (PyErr_Occurred()) goto fail;
                next = PyObject_CallFunction(decide_long, "OOi", plan, key, state);
                if (next == NULL) goto fail;
            }
            Py_CLEAR(key);
            Py_SETREF(plan, next);
            if (Py_TYPE(plan) != plan_type) { PyErr_SetString(PyExc_TypeError, "decide_long made a non-Plan"); goto fail; }
            INT_SLOT(action, plan, S_ACTION);
        } else if (action == SWITCH) {
            state &= ~LITTLE;
            table = PyList_GET_ITEM(tables, state);
            Py_CLEAR(plan);
            continue;
        }
        INT_SLOT(size, plan, S_SIZE);
        long long location = pos + size + drift;
        long long effects = 0;
        if (action >= EFFECTS) {                                /* in the order ImageJ's loop meets them */
            long long start = pos + size, length;
            INT_SLOT(effects, plan, S_EFFECTS);
            INT_SLOT(length, plan, S_LENGTH);
            if (effects & ODD_NOW) state = (state & ~ODD_NEXT) | ODD;
            if (effects & OPENS) {
                state |= IN_SEQUENCE;
                long long tag;
                INT_SLOT(tag, plan, S_TAG);
                if (nesting_enter(nesting, start, -1, 0, tag == ITEM_TAG) < 0) goto fail;
            }
            table = PyList_GET_ITEM(tables, state);
            if (effects & STOP) {
                long long shift;
                INT_SLOT(shift, plan, S_SHIFT);
                if (emit(t, picked, plan, NULL, 0, location + shift) < 0) goto fail;
                Py_CLEAR(plan);
                break;
            }
            if (effects & FAIL) {
                long long fail_length;
                INT_SLOT(fail_length, plan, S_FAIL_LENGTH);
                PyObject *a = PyLong_FromLongLong(fail_length), *b = PyLong_FromLongLong(start);
                if (a != NULL && b != NULL) raise_returned(walk, s_negative_array, a, b);
                Py_XDECREF(a);
                Py_XDECREF(b);
                goto fail;
            }
            if (effects & NO_RECORD) {
                if (effects & DELIMITS) {
                    state &= ~IN_SEQUENCE;
                    table = PyList_GET_ITEM(tables, state);
                    nesting_leave(nesting, start);
                } else if (effects & ITEM_OPENS) {
                    if (nesting_enter(nesting, start, start + length, 1, 1) < 0) goto fail;
                }
                off += size;
                Py_CLEAR(plan);
                continue;
            }
            if (effects & (ACQ_ON | ACQ_OFF)) {
                state = (effects & ACQ_ON) ? (state | ACQUISITION) : (state & ~ACQUISITION);
                table = PyList_GET_ITEM(tables, state);
            }
            if (effects & WALKS_INTO) {
                if (nesting_enter(nesting, start, start + length, 1, 0) < 0) goto fail;
            }
        }
        INT_SLOT(step, plan, S_STEP);
        const char *value = NULL;
        Py_ssize_t n = 0;
        if (step >= 0) {                                        /* header and value: the value is read */
            long long want;
            INT_SLOT(want, plan, S_N);
            if (want < 0 || step != size + want) { PyErr_SetString(PyExc_ValueError, "bad plan step"); goto fail; }
            if (off + step > w.limit) {
                if (window_move(&w, pos + size, want, 0) < 0) goto fail;
                off = pos - w.base;
            }
            if (off + size < 0 || off + step > w.limit) { PyErr_SetString(PyExc_AssertionError, "value outside the window"); goto fail; }
            value = PyBytes_AS_STRING(w.buf) + off + size;
            n = (Py_ssize_t)want;
            off += step;
        } else {
            long long advance, plan_drift;
            INT_SLOT(advance, plan, S_ADVANCE);
            INT_SLOT(plan_drift, plan, S_DRIFT);
            off += size + advance;                              /* may pass the window's end: noticed at the next header */
            drift += plan_drift;
        }
        if (emit(t, picked, plan, value, n, location) < 0) goto fail;
        if (action == EFFECTS) {
            if (effects & SYNTAX) {
                if (value == NULL) { PyErr_SetString(PyExc_AssertionError, "the transfer syntax without a value"); goto fail; }
                if (contains(value, n, "1.2.4", 5) || contains(value, n, "1.2.5", 5)) {
                    PyObject *v = PyBytes_FromStringAndSize(value, n);
                    if (v != NULL) raise_returned(walk, s_compressed, v, NULL);
                    Py_XDECREF(v);
                    goto fail;
                }
                if (contains(value, n, PyBytes_AS_STRING(big_endian_uid), PyBytes_GET_SIZE(big_endian_uid)))
                    state |= BIG_SYNTAX;
            }
            if ((effects & PARITY) && ((w.base + off + drift) & 1)) state |= ODD_NEXT;
            table = PyList_GET_ITEM(tables, state);
        }
        Py_CLEAR(plan);
    }
    Py_XDECREF(w.buf);
    Py_XDECREF(w.src);
    return 0;
fail:
    Py_XDECREF(plan);
    Py_XDECREF(key);
    Py_XDECREF(w.buf);
    Py_XDECREF(w.src);
    return -1;
}

/* walk_header(walk, tables, picked, generation) -> (cleaned text bytes, DicomReadError or None);
 * generation: walker's plan generation (forget_plans() starts a new one, which empties the cache) */
static PyObject *walk_header(PyObject *module, PyObject *args) {
    PyObject *walk, *tables, *picked;
    long long generation;
    if (!PyArg_ParseTuple(args, "OOOL:walk_header", &walk, &tables, &picked, &generation)) return NULL;
    if (plan_type == NULL) { PyErr_SetString(PyExc_RuntimeError, "_walker.bind() was not called"); return NULL; }
    if (picked != Py_None && !PyList_CheckExact(picked)) { PyErr_SetString(PyExc_TypeError, "picked: a list or None"); return NULL; }
    if (!PyList_CheckExact(tables) || PyList_GET_SIZE(tables) != STATES) {
        PyErr_SetString(PyExc_TypeError, "plan tables: a list of 64 dicts expected");
        return NULL;
    }
    cache_bind(tables, generation);
    Text t = {NULL, 0, 0};
    Nesting nesting = {NULL, 0, 0, NULL, 0, 0};
    PyObject *error = NULL, *result = NULL;
    int rc = -1;
    nesting.nesting = PyObject_GetAttr(walk, s_nesting);
    PyObject *limit = nesting.nesting ? PyObject_GetAttr(nesting.nesting, s_limit) : NULL;
    if (limit != NULL) {
        nesting.limit = PyLong_AsLongLong(limit);
        Py_DECREF(limit);
        if (!PyErr_Occurred()) rc = run(walk, tables, &nesting, picked, &t);
    }
    if (rc < 0) {
        if (!PyErr_ExceptionMatches(read_error)) goto done;   /* not ImageJ's failure: propagate */
        PyObject *type, *tb;
        PyErr_Fetch(&type, &error, &tb);
        PyErr_NormalizeException(&type, &error, &tb);
        if (tb != NULL && error != NULL) PyException_SetTraceback(error, tb);
        Py_XDECREF(type);
        Py_XDECREF(tb);
        if (error == NULL) goto done;
    }
    PyObject *text = PyBytes_FromStringAndSize(t.data ? t.data : "", (Py_ssize_t)t.len);
    if (text != NULL) result = PyTuple_Pack(2, text, error ? error : Py_None);
    Py_XDECREF(text);
done:
    Py_XDECREF(error);
    Py_XDECREF(nesting.nesting);
    PyMem_Free(nesting.open);
    PyMem_Free(t.data);
    return result;
}

/* bind(Plan, decide_long, plan_line, by_vr_line, special_line, DicomReadError, BIG_ENDIAN_UID) */
static PyObject *bind(PyObject *module, PyObject *args) {
    PyObject *type, *f2, *f3, *f4, *f5, *err, *uid;
    if (!PyArg_ParseTuple(args, "O!OOOOOS:bind", &PyType_Type, &type, &f2, &f3, &f4, &f5, &err, &uid)) return NULL;
    for (int i = 0; i < N_SLOTS; i++) {
        PyObject *descr = PyObject_GetAttrString(type, slot_names[i]);
        if (descr == NULL) return NULL;
        int ok = Py_IS_TYPE(descr, &PyMemberDescr_Type) &&
                 ((PyMemberDescrObject *)descr)->d_member->type == T_OBJECT_EX;
        if (ok) slot_offset[i] = ((PyMemberDescrObject *)descr)->d_member->offset;
        Py_DECREF(descr);
        if (!ok) return PyErr_Format(PyExc_TypeError, "Plan.%s is not a __slots__ member", slot_names[i]);
    }
    Py_XSETREF(plan_type, (PyTypeObject *)Py_NewRef(type));
    Py_XSETREF(decide_long, Py_NewRef(f2));
    Py_XSETREF(plan_line, Py_NewRef(f3));
    Py_XSETREF(by_vr_line, Py_NewRef(f4));
    Py_XSETREF(special_line, Py_NewRef(f5));
    Py_XSETREF(read_error, Py_NewRef(err));
    Py_XSETREF(big_endian_uid, Py_NewRef(uid));
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"walk_header", walk_header, METH_VARARGS,
     "walk_header(walk, tables, picked, generation) -> (text, error): Walk.records() consumed by HeaderText, in C."},
    {"bind", bind, METH_VARARGS, "bind(Plan, decide_long, plan_line, by_vr_line, special_line, "
                                 "DicomReadError, BIG_ENDIAN_UID): the Python side of the rules."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module_def = {PyModuleDef_HEAD_INIT, "_walker",
                                        "The walker's hot loop in C (optional accelerator).", -1, methods};

PyMODINIT_FUNC PyInit__walker(void) {
    for (int b = 0; b < 256; b++) clean_byte[b] = (unsigned char)((b < 0x20 && b != 0x0A) ? 0x20 : b);
    if (!(s_negative_array = PyUnicode_InternFromString("_negative_array")) ||
        !(s_compressed = PyUnicode_InternFromString("_compressed")) || !(s_preamble = PyUnicode_InternFromString("preamble")) ||
        !(s_dicm_found = PyUnicode_InternFromString("dicm_found")) || !(s_buf = PyUnicode_InternFromString("buf")) ||
        !(s_base = PyUnicode_InternFromString("base")) || !(s_size = PyUnicode_InternFromString("size")) ||
        !(s_src = PyUnicode_InternFromString("src")) || !(s_pos = PyUnicode_InternFromString("pos")) ||
        !(s_nesting = PyUnicode_InternFromString("nesting")) || !(s_limit = PyUnicode_InternFromString("limit")))
        return NULL;
    return PyModule_Create(&module_def);
}
