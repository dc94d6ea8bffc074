/* The optional C accelerator of ImageJ's median filter (bridge/core/rankfilters.py is the reference).
 *
 * median(cache, cache_width, out, height, width, pad, lines, nan_aware) fills `out` (height x width
 * float32) with the median of ImageJ's circular kernel around each pixel of `cache`, a float32 block
 * of (height + 2*pad) x cache_width values holding the rectangle with `pad` edge pixels around it.
 * `lines` is the kernel: left and right x offset of each kernel line, top to bottom.
 *
 * This is ImageJ's own algorithm (RankFilters.getMedian / getNaNAwareMedian / findNthLowestNumber),
 * statement for statement, so the result is ImageJ's to the last bit (signed zeros included): on
 * 8- and 16-bit data the guess is the previous median of the line, on float data the pixel itself,
 * NaNs left out.  The GIL is released while it runs.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdlib.h>

static float nth_lowest(float *buf, int length, int n)
{
    int i, j, l = 0, m = length - 1;
    float med = buf[n], dum;
    while (l < m) {
        i = l;
        j = m;
        do {
            while (buf[i] < med) i++;
            while (med < buf[j]) j--;
            dum = buf[j];
            buf[j] = buf[i];
            buf[i] = dum;
            i++;
            j--;
        } while (j >= n && i <= n);
        if (j < n) l = i;
        if (n < i) m = j;
        med = buf[n];
    }
    return med;
}

static float kernel_median(const float *cache, Py_ssize_t cache_width, const int *lines, int k_height,
                           Py_ssize_t row0, Py_ssize_t col, float *above, float *below, int points,
                           float guess, int nan_aware)
{
    int n_above = 0, n_below = 0, kk, half;
    for (kk = 0; kk < k_height; kk++) {
        const float *line = cache + (row0 + kk) * cache_width + col;
        int dx;
        for (dx = lines[2 * kk]; dx <= lines[2 * kk + 1]; dx++) {
            float v = line[dx];
            if (nan_aware && isnan(v))
                points--;
            else if (v > guess)
                above[n_above++] = v;
            else if (v < guess)
                below[n_below++] = v;
        }
    }
    if (nan_aware && points == 0)
        return NAN;
    half = points / 2;
    if (n_above > half)
        return nth_lowest(above, n_above, n_above - half - 1);
    if (n_below > half)
        return nth_lowest(below, n_below, half);
    return guess;
}

static PyObject *median(PyObject *self, PyObject *args)
{
    Py_buffer cache, out;
    Py_ssize_t cache_width, height, width, pad, y, x;
    PyObject *lines_obj;
    int nan_aware, k_height, points = 0, i;
    int *lines;
    float *above, *below;
    if (!PyArg_ParseTuple(args, "y*nw*nnnO!p", &cache, &cache_width, &out, &height, &width, &pad,
                          &PyTuple_Type, &lines_obj, &nan_aware))
        return NULL;
    k_height = (int)(PyTuple_GET_SIZE(lines_obj) / 2);
    if (height < 0 || width < 0 || pad < k_height / 2 + 0 || cache_width < width + 2 * pad ||
        cache.len < (Py_ssize_t)sizeof(float) * cache_width * (height + 2 * pad) ||
        out.len < (Py_ssize_t)sizeof(float) * width * height || k_height < 1) {
        PyBuffer_Release(&cache);
        PyBuffer_Release(&out);
        PyErr_SetString(PyExc_ValueError, "median: buffers and sizes do not match");
        return NULL;
    }
    lines = PyMem_Malloc(sizeof(int) * 2 * k_height);
    if (lines == NULL) {
        PyBuffer_Release(&cache);
        PyBuffer_Release(&out);
        return PyErr_NoMemory();
    }
    for (i = 0; i < 2 * k_height; i++) {
        lines[i] = (int)PyLong_AsLong(PyTuple_GET_ITEM(lines_obj, i));
        if (lines[i] < -pad || lines[i] > pad) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "median: a kernel line reaches past the padding");
        }
    }
    for (i = 0; i < k_height; i++)
        points += lines[2 * i + 1] - lines[2 * i] + 1;
    if (PyErr_Occurred()) {
        PyMem_Free(lines);
        PyBuffer_Release(&cache);
        PyBuffer_Release(&out);
        return NULL;
    }
    above = PyMem_Malloc(sizeof(float) * (size_t)points);
    below = PyMem_Malloc(sizeof(float) * (size_t)points);
    if (above == NULL || below == NULL) {
        PyMem_Free(above);
        PyMem_Free(below);
        PyMem_Free(lines);
        PyBuffer_Release(&cache);
        PyBuffer_Release(&out);
        return PyErr_NoMemory();
    }
    Py_BEGIN_ALLOW_THREADS
    {
        const float *values = (const float *)cache.buf;
        float *result = (float *)out.buf;
        int k_radius = k_height / 2;
        for (y = 0; y < height; y++) {
            Py_ssize_t row0 = pad + y - k_radius;
            const float *centre = values + (pad + y) * cache_width + pad;
            float guess = isnan(centre[0]) ? 0.0f : centre[0];
            for (x = 0; x < width; x++) {
                if (nan_aware)
                    guess = centre[x];       /* float images: the pixel is the first guess */
                guess = kernel_median(values, cache_width, lines, k_height, row0, pad + x, above, below,
                                      points, guess, nan_aware);
                result[y * width + x] = guess;
            }
        }
    }
    Py_END_ALLOW_THREADS
    PyMem_Free(above);
    PyMem_Free(below);
    PyMem_Free(lines);
    PyBuffer_Release(&cache);
    PyBuffer_Release(&out);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"median", median, METH_VARARGS, "ImageJ's median of a padded float32 block (see the module comment)."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_rank", NULL, -1, methods};

PyMODINIT_FUNC PyInit__rank(void) { return PyModule_Create(&module); }
