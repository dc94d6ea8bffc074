"""ImageJ's ``AutoThresholder``: the 17 methods that turn a 256-bin histogram into one grey level.

1.54g replaced Otsu (:func:`otsu_celebi`) and made Intermodes smooth the whole
histogram (:func:`intermodes_whole`); :func:`get_threshold` uses the emulated
release's.  Each function is a line-by-line port of ImageJ 1.53t's (G. Landini's Auto_Threshold
methods), keeping Java's arithmetic where it decides the answer: ``int``
sums that wrap at 2**31, integer division, ``(int)`` casts that truncate, and
sums in the same order.  :func:`get_threshold` is ``getThreshold(method, histogram)``
and returns 0 where a method gives up (-1), as ImageJ does.

The histograms come from :mod:`bridge.core.threshold`, which builds them as
ImageJ's ``setAutoThreshold`` does.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from .. import emulation

#: ``AutoThresholder.Method`` names, in ImageJ's order (``IJ_IsoData`` is the pre-1.42 ImageJ method).
METHODS = ("Default", "Huang", "Intermodes", "IsoData", "IJ_IsoData", "Li", "MaxEntropy", "Mean", "MinError",
           "Minimum", "Moments", "Otsu", "Percentile", "RenyiEntropy", "Shanbhag", "Triangle", "Yen")
_DBL_EPSILON = 2.220446049250313e-16
_DOUBLE_MAX = 1.7976931348623157e308
_DOUBLE_MIN_VALUE = 5e-324


def _int32(value: int) -> int:
    """Java ``int`` overflow: wrap to 32 bits."""
    return (value + 2**31) % 2**32 - 2**31


def java_int(value: float) -> int:
    """Java's ``(int)`` cast of a double: toward zero, NaN to 0, clamped to the int range."""
    if math.isnan(value):
        return 0
    if value >= 2**31 - 1:
        return 2**31 - 1
    if value <= -2**31:
        return -2**31
    return int(value)


def _floor_int(value: float) -> int:
    """``(int) Math.floor(value)``."""
    return java_int(math.floor(value)) if math.isfinite(value) else java_int(value)


def java_round(value: float) -> int:
    """``Math.round(double)`` as a long: floor(x + 0.5)."""
    if math.isnan(value):
        return 0
    return math.floor(value + 0.5)


def get_threshold(method: str, histogram: Iterable[int]) -> int:
    """``AutoThresholder.getThreshold(method, histogram)`` for a 256-bin histogram.

    ``method`` is an exact ``Method`` name; anything else raises ValueError
    (ImageJ's ``IllegalArgumentException``).
    """
    counts = [int(c) for c in histogram]
    if len(counts) != 256:
        raise ValueError("Histogram length not 256")
    function = _FUNCTIONS.get(method)
    if function is None:
        raise ValueError(f'Invalid method ("{method}")')
    threshold = _bilevel(counts)
    if threshold >= 0:
        return threshold
    threshold = _of_the_release(method, function)(counts)
    return 0 if threshold == -1 else threshold


def _bilevel(data: list[int]) -> int:
    """1.54a on: a histogram of two used bins thresholds below the upper (1.54g: of one, below it); else -1."""
    rules = emulation.rules()
    used = [i for i, count in enumerate(data) if count > 0][:3]
    if len(used) == 2 and rules.bilevel_two_levels:
        return used[1] - 1
    if len(used) == 1 and rules.bilevel_one_level:
        return used[0] - 1
    return -1


def _of_the_release(method: str, function: Callable[[list[int]], int]) -> Callable[[list[int]], int]:
    """The method as the emulated release has it: 1.54g rewrote Otsu and Intermodes (core/versions.py)."""
    rules = emulation.rules()
    if method == "Otsu" and rules.otsu_celebi:
        return otsu_celebi
    if method == "Intermodes" and not rules.intermodes_trims:
        return intermodes_whole
    return function


def default_isodata(data: list[int]) -> int:
    """The *Threshold* tool's "Default": IJ_IsoData with the mode's count capped at 1.5 x the runner-up."""
    data2 = list(data)
    mode = max_count = 0
    for i, count in enumerate(data2):
        if count > max_count:
            max_count, mode = count, i
    max_count2 = 0
    for i, count in enumerate(data2):
        if count > max_count2 and i != mode:
            max_count2 = count
    if max_count > max_count2 * 2 and max_count2 != 0:
        data2[mode] = java_int(max_count2 * 1.5)
    return ij_isodata(data2)


def ij_isodata(data: list[int]) -> int:
    """ImageJ's original iterative intermeans (``ImageProcessor.getAutoThreshold(histogram)``)."""
    data = list(data)
    max_value = len(data) - 1
    data[0] = 0
    data[max_value] = 0
    low = 0
    while data[low] == 0 and low < max_value:
        low += 1
    high = max_value
    while data[high] == 0 and high > 0:
        high -= 1
    if low >= high:
        return len(data) // 2
    moving = low
    while True:
        sum1 = sum2 = sum3 = sum4 = 0.0
        for i in range(low, moving + 1):
            sum1 += float(i) * data[i]
            sum2 += data[i]
        for i in range(moving + 1, high + 1):
            sum3 += float(i) * data[i]
            sum4 += data[i]
        result = (_ddiv(sum1, sum2) + _ddiv(sum3, sum4)) / 2.0
        moving += 1
        if not (moving + 1 <= result and moving < high - 1):
            break
    return java_round(result)


def _ddiv(a: float, b: float) -> float:
    """Java's double division (x/0 is ±Infinity or NaN)."""
    if b == 0.0:
        return math.nan if a == 0.0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _log(x: float) -> float:
    """``Math.log``: NaN below 0, -Infinity at 0."""
    if math.isnan(x) or x < 0.0:
        return math.nan
    if x == 0.0:
        return -math.inf
    return math.log(x) if x != math.inf else math.inf


def huang(data: list[int]) -> int:
    first_bin = next((i for i in range(256) if data[i] != 0), 0)
    last_bin = 255
    for i in range(255, first_bin - 1, -1):
        if data[i] != 0:
            last_bin = i
            break
    term = _ddiv(1.0, float(last_bin - first_bin))
    mu_0 = [0.0] * 256
    sum_pix = num_pix = 0.0
    for i in range(first_bin, 256):
        sum_pix += float(i) * data[i]
        num_pix += data[i]
        mu_0[i] = _ddiv(sum_pix, num_pix)
    mu_1 = [0.0] * 256
    sum_pix = num_pix = 0.0
    for i in range(last_bin, 0, -1):
        sum_pix += float(i) * data[i]
        num_pix += data[i]
        mu_1[i - 1] = _ddiv(sum_pix, num_pix)
    threshold, min_ent = -1, _DOUBLE_MAX
    for it in range(256):
        ent = 0.0
        for i in range(it + 1):
            ent += _fuzzy(data[i], term, i, mu_0[it])
        for i in range(it + 1, 256):
            ent += _fuzzy(data[i], term, i, mu_1[it])
        if ent < min_ent:
            min_ent, threshold = ent, it
    return threshold


def _fuzzy(count: int, term: float, level: int, mu: float) -> float:
    """One term of Huang's fuzzy entropy (0 when the membership is 0 or 1 to 1e-6)."""
    mu_x = 1.0 / (1.0 + term * abs(level - mu))
    if mu_x < 1e-06 or mu_x > 0.999999 or math.isnan(mu_x):
        return 0.0 if not math.isnan(mu_x) else math.nan
    return count * (-mu_x * _log(mu_x) - (1.0 - mu_x) * _log(1.0 - mu_x))


def _bimodal(y: list[float]) -> bool:
    modes = 0
    for k in range(1, len(y) - 1):
        if y[k - 1] < y[k] and y[k + 1] < y[k]:
            modes += 1
            if modes > 2:
                return False
    return modes == 2


def intermodes(data: list[int]) -> int:
    """Up to 1.54f: smoothed between the first and last used bins."""
    maxbin = minbin = -1
    for i in range(len(data)):
        if data[i] > 0:
            maxbin = i
    for i in range(len(data) - 1, -1, -1):
        if data[i] > 0:
            minbin = i
    length = maxbin - minbin + 1
    hist = [float(data[i]) for i in range(minbin, maxbin + 1)] if length > 0 else []
    if not hist:
        raise IndexError("Intermodes: empty histogram")     # Java: ArrayIndexOutOfBounds on hist[0]
    threshold = _intermodes(hist)
    return -1 if threshold == -1 else threshold + minbin      # -1: no two modes after 10000 smoothings


def intermodes_whole(data: list[int]) -> int:
    """1.54g on: the whole histogram smoothed, empty ends included."""
    return _intermodes([float(c) for c in data])


def _intermodes(hist: list[float]) -> int:
    """Smooth (3-point running mean) until two modes are left; their mean, in ``hist``'s bins."""
    length = len(hist)
    iterations = 0
    while not _bimodal(hist):
        previous = current = 0.0
        following = hist[0]
        for i in range(length - 1):
            previous, current = current, following
            following = hist[i + 1]
            hist[i] = (previous + current + following) / 3
        hist[length - 1] = (current + following) / 3
        iterations += 1
        if iterations > 10000:
            return -1
    tt = sum(i for i in range(1, length - 1) if hist[i - 1] < hist[i] and hist[i + 1] < hist[i])
    return math.floor(tt / 2.0)


def isodata(data: list[int]) -> int:
    g = 0
    for i in range(1, 256):
        if data[i] > 0:
            g = i + 1
            break
    while True:
        low = total_low = 0
        for i in range(g):
            total_low = _int32(total_low + data[i])
            low = _int32(low + _int32(data[i] * i))
        high = total_high = 0.0
        for i in range(g + 1, 256):
            total_high += data[i]
            high += float(data[i]) * i
        if total_low > 0 and total_high > 0:
            low = int(low / total_low)              # Java: int /= int truncates
            high /= total_high
            if g == java_round((low + high) / 2.0):
                return g
        g += 1
        if g > 254:
            return -1


def li(data: list[int]) -> int:
    num_pixels = 0.0
    for count in data:
        num_pixels += count
    mean = 0.0
    for i in range(1, 256):
        mean += float(i) * data[i]
    mean = _ddiv(mean, num_pixels)
    new_thresh = mean
    while True:
        old_thresh = new_thresh
        threshold = java_int(old_thresh + 0.5)
        sum_back = num_back = 0.0
        for i in range(0, min(threshold, 255) + 1):
            sum_back += float(i) * data[i]
            num_back += data[i]
        mean_back = 0.0 if num_back == 0 else sum_back / num_back
        sum_obj = num_obj = 0.0
        for i in range(max(threshold + 1, 0), 256):
            sum_obj += float(i) * data[i]
            num_obj += data[i]
        mean_obj = 0.0 if num_obj == 0 else sum_obj / num_obj
        temp = _ddiv(mean_back - mean_obj, _log(mean_back) - _log(mean_obj))
        new_thresh = float(java_int(temp - 0.5) if temp < -_DBL_EPSILON else java_int(temp + 0.5))
        if not abs(new_thresh - old_thresh) > 0.5:
            return threshold


def _normalised(data: list[int]) -> tuple[list[float], list[float], list[float]]:
    """The normalised histogram and its cumulative sums P1 and P2 = 1 - P1."""
    total = 0.0
    for count in data:
        total += count
    norm = [_ddiv(float(count), total) for count in data]
    p1, p2 = [0.0] * 256, [0.0] * 256
    p1[0] = norm[0]
    p2[0] = 1.0 - p1[0]
    for i in range(1, 256):
        p1[i] = p1[i - 1] + norm[i]
        p2[i] = 1.0 - p1[i]
    return norm, p1, p2


def _bins(p1: list[float], p2: list[float]) -> tuple[int, int]:
    first_bin = next((i for i in range(256) if not abs(p1[i]) < _DBL_EPSILON), 0)
    last_bin = 255
    for i in range(255, first_bin - 1, -1):
        if not abs(p2[i]) < _DBL_EPSILON:
            last_bin = i
            break
    return first_bin, last_bin


def _entropy_split(data: list[int], norm: list[float], p1: list[float], p2: list[float], it: int) -> float:
    """Kapur's total entropy of background and object at threshold ``it``."""
    ent_back = 0.0
    for i in range(it + 1):
        if data[i] != 0:
            ent_back -= _ddiv(norm[i], p1[it]) * _log(_ddiv(norm[i], p1[it]))
    ent_obj = 0.0
    for i in range(it + 1, 256):
        if data[i] != 0:
            ent_obj -= _ddiv(norm[i], p2[it]) * _log(_ddiv(norm[i], p2[it]))
    return ent_back + ent_obj


def max_entropy(data: list[int]) -> int:
    norm, p1, p2 = _normalised(data)
    first_bin, last_bin = _bins(p1, p2)
    threshold, max_ent = -1, _DOUBLE_MIN_VALUE
    for it in range(first_bin, last_bin + 1):
        total = _entropy_split(data, norm, p1, p2, it)
        if max_ent < total:
            max_ent, threshold = total, it
    return threshold


def mean(data: list[int]) -> int:
    total = weighted = 0.0
    for i in range(256):
        total += data[i]
        weighted += float(i) * data[i]
    value = _ddiv(weighted, total)
    return _floor_int(value)


def _a(y: list[int], j: int) -> float:
    j = min(j, len(y) - 1)
    x = 0.0
    for i in range(j + 1):
        x += y[i]
    return x


def _b(y: list[int], j: int) -> float:
    j = min(j, len(y) - 1)
    x = 0.0
    for i in range(j + 1):
        x += _int32(i * y[i])
    return x


def _c(y: list[int], j: int) -> float:
    j = min(j, len(y) - 1)
    x = 0.0
    for i in range(j + 1):
        x += _int32(i * i * y[i])
    return x


def min_error(data: list[int]) -> int:
    threshold = mean(data)
    previous = -2
    end = len(data) - 1
    while threshold != previous:
        a_t, a_end = _a(data, threshold), _a(data, end)
        b_t, b_end = _b(data, threshold), _b(data, end)
        c_t, c_end = _c(data, threshold), _c(data, end)
        mu = _ddiv(b_t, a_t)
        nu = _ddiv(b_end - b_t, a_end - a_t)
        p = _ddiv(a_t, a_end)
        q = _ddiv(a_end - a_t, a_end)
        sigma2 = _ddiv(c_t, a_t) - mu * mu
        tau2 = _ddiv(c_end - c_t, a_end - a_t) - nu * nu
        w0 = _ddiv(1.0, sigma2) - _ddiv(1.0, tau2)
        w1 = _ddiv(mu, sigma2) - _ddiv(nu, tau2)
        w2 = _ddiv(mu * mu, sigma2) - _ddiv(nu * nu, tau2) + _log10(_ddiv(sigma2 * (q * q), tau2 * (p * p)))
        sqterm = w1 * w1 - w0 * w2
        if sqterm < 0:
            return threshold
        previous = threshold
        temp = _ddiv(w1 + math.sqrt(sqterm), w0)
        threshold = previous if math.isnan(temp) else _floor_int(temp)
    return threshold


def _log10(x: float) -> float:
    if math.isnan(x) or x < 0.0:
        return math.nan
    if x == 0.0:
        return -math.inf
    return math.log10(x) if x != math.inf else math.inf


def minimum(data: list[int]) -> int:
    histo = [float(c) for c in data]
    iterations = 0
    while not _bimodal(histo):
        smoothed = [0.0] * 256
        for i in range(1, 255):
            smoothed[i] = (histo[i - 1] + histo[i] + histo[i + 1]) / 3
        smoothed[0] = (histo[0] + histo[1]) / 3
        smoothed[255] = (histo[254] + histo[255]) / 3
        histo = smoothed
        iterations += 1
        if iterations > 10000:
            return -1
    for i in range(1, 255):
        if histo[i - 1] > histo[i] and histo[i + 1] >= histo[i]:
            return i
    return -1


def moments(data: list[int]) -> int:
    total = 0.0
    for count in data:
        total += count
    histo = [_ddiv(float(count), total) for count in data]
    m0, m1, m2, m3 = 1.0, 0.0, 0.0, 0.0
    for i in range(256):
        di = float(i)
        m1 += di * histo[i]
        m2 += di * di * histo[i]
        m3 += di * di * di * histo[i]
    cd = m0 * m2 - m1 * m1
    c0 = _ddiv(-m2 * m2 + m1 * m3, cd)
    c1 = _ddiv(m0 * -m3 + m2 * m1, cd)
    root = _sqrt(c1 * c1 - 4.0 * c0)
    z0 = 0.5 * (-c1 - root)
    z1 = 0.5 * (-c1 + root)
    p0 = _ddiv(z1 - m1, z1 - z0)
    running = 0.0
    for i in range(256):
        running += histo[i]
        if running > p0:
            return i
    return -1


def _sqrt(x: float) -> float:
    return math.nan if math.isnan(x) or x < 0 else math.sqrt(x)


def otsu(data: list[int]) -> int:
    """Up to 1.54f: J. Bevik's between-class variance, endpoints skipped, the last maximum kept."""
    total_intensity = n = 0.0
    for k in range(256):
        total_intensity += float(k) * data[k]
        n += data[k]
    sk = 0.0
    n1 = float(data[0])
    bcv_max = 0.0
    k_star = 0
    for k in range(1, 255):
        sk += float(k) * data[k]
        n1 += data[k]
        denom = n1 * (n - n1)
        if denom != 0:
            num = (n1 / n) * total_intensity - sk
            bcv = (num * num) / denom
        else:
            bcv = 0.0
        if bcv >= bcv_max:
            bcv_max, k_star = bcv, k
    return k_star


def otsu_celebi(data: list[int]) -> int:
    """1.54g on: M. E. Celebi's, on the normalised cumulative histogram, the first maximum kept."""
    n = len(data)
    term = _ddiv(1.0, float(sum(data)))
    histo = [term * c for c in data]
    cnh, mean_level = [histo[0]] * n, [0.0] * n
    for ih in range(1, n):
        cnh[ih] = cnh[ih - 1] + histo[ih]
        mean_level[ih] = mean_level[ih - 1] + ih * histo[ih]
    total_mean = mean_level[n - 1]
    threshold, max_bcv = -2**31, 0.0
    for ih in range(n):
        bcv = total_mean * cnh[ih] - mean_level[ih]
        bcv *= _ddiv(bcv, cnh[ih] * (1.0 - cnh[ih]))
        if max_bcv < bcv:
            max_bcv, threshold = bcv, ih
    return threshold


def percentile(data: list[int]) -> int:
    threshold = -1
    total = _a(data, 255)
    temp = 1.0
    running = 0.0
    for i in range(256):
        running += data[i]                  # partialSum(data, i), summed in the same order
        value = abs(_ddiv(running, total) - 0.5)
        if value < temp:
            temp, threshold = value, i
    return threshold


def renyi_entropy(data: list[int]) -> int:
    norm, p1, p2 = _normalised(data)
    first_bin, last_bin = _bins(p1, p2)
    threshold, max_ent = 0, 0.0
    for it in range(first_bin, last_bin + 1):
        total = _entropy_split(data, norm, p1, p2, it)
        if max_ent < total:
            max_ent, threshold = total, it
    t_star2 = threshold
    t_star1 = _renyi_alpha(norm, p1, p2, first_bin, last_bin, 0.5,
                           lambda v, p: math.sqrt(_ddiv(v, p)) if _ddiv(v, p) >= 0 else math.nan)
    t_star3 = _renyi_alpha(norm, p1, p2, first_bin, last_bin, 2.0, lambda v, p: _ddiv(v * v, p * p))
    if t_star2 < t_star1:
        t_star1, t_star2 = t_star2, t_star1
    if t_star3 < t_star2:
        t_star2, t_star3 = t_star3, t_star2
    if t_star2 < t_star1:
        t_star1, t_star2 = t_star2, t_star1
    if abs(t_star1 - t_star2) <= 5:
        beta1, beta2, beta3 = (1, 2, 1) if abs(t_star2 - t_star3) <= 5 else (0, 1, 3)
    else:
        beta1, beta2, beta3 = (3, 1, 0) if abs(t_star2 - t_star3) <= 5 else (1, 2, 1)
    omega = p1[t_star3] - p1[t_star1]
    return java_int(t_star1 * (p1[t_star1] + 0.25 * omega * beta1) + 0.25 * t_star2 * omega * beta2
                    + t_star3 * (p2[t_star3] + 0.25 * omega * beta3))


def _renyi_alpha(norm: list[float], p1: list[float], p2: list[float], first_bin: int, last_bin: int,
                 alpha: float, term_of: Callable[[float, float], float]) -> int:
    """One of Renyi's entropies (alpha 0.5 or 2): the threshold that maximises it."""
    threshold, max_ent = 0, 0.0
    term = 1.0 / (1.0 - alpha)
    for it in range(first_bin, last_bin + 1):
        ent_back = 0.0
        for i in range(it + 1):
            ent_back += term_of(norm[i], p1[it])
        ent_obj = 0.0
        for i in range(it + 1, 256):
            ent_obj += term_of(norm[i], p2[it])
        product = ent_back * ent_obj
        total = term * (_log(product) if product > 0.0 else 0.0)
        if total > max_ent:
            max_ent, threshold = total, it
    return threshold


def shanbhag(data: list[int]) -> int:
    norm, p1, p2 = _normalised(data)
    first_bin, last_bin = _bins(p1, p2)
    threshold, min_ent = -1, _DOUBLE_MAX
    for it in range(first_bin, last_bin + 1):
        ent_back = 0.0
        term = _ddiv(0.5, p1[it])
        for i in range(1, it + 1):
            ent_back -= norm[i] * _log(1.0 - term * p1[i - 1])
        ent_back *= term
        ent_obj = 0.0
        term = _ddiv(0.5, p2[it])
        for i in range(it + 1, 256):
            ent_obj -= norm[i] * _log(1.0 - term * p2[i])
        ent_obj *= term
        total = abs(ent_back - ent_obj)
        if total < min_ent:
            min_ent, threshold = total, it
    return threshold


def triangle(data: list[int]) -> int:
    data = list(data)
    low = next((i for i in range(256) if data[i] > 0), 0)
    if low > 0:
        low -= 1
    low2 = 0
    for i in range(255, 0, -1):
        if data[i] > 0:
            low2 = i
            break
    if low2 < 255:
        low2 += 1
    peak, dmax = 0, 0
    for i in range(256):
        if data[i] > dmax:
            peak, dmax = i, data[i]
    inverted = False
    if peak - low < low2 - peak:
        inverted = True
        data.reverse()
        low = 255 - low2
        peak = 255 - peak
    if low == peak:
        return low
    nx = float(data[peak])
    ny = float(low - peak)
    d = math.sqrt(nx * nx + ny * ny)
    nx /= d
    ny /= d
    d = nx * low + ny * data[low]
    split, split_distance = low, 0.0
    for i in range(low + 1, peak + 1):
        distance = nx * i + ny * data[i] - d
        if distance > split_distance:
            split, split_distance = i, distance
    split -= 1
    return 255 - split if inverted else split


def yen(data: list[int]) -> int:
    total = 0.0
    for count in data:
        total += count
    norm = [_ddiv(float(count), total) for count in data]
    p1 = [0.0] * 256
    p1_sq = [0.0] * 256
    p2_sq = [0.0] * 256
    p1[0] = norm[0]
    for i in range(1, 256):
        p1[i] = p1[i - 1] + norm[i]
    p1_sq[0] = norm[0] * norm[0]
    for i in range(1, 256):
        p1_sq[i] = p1_sq[i - 1] + norm[i] * norm[i]
    for i in range(254, -1, -1):
        p2_sq[i] = p2_sq[i + 1] + norm[i + 1] * norm[i + 1]
    threshold, max_crit = -1, _DOUBLE_MIN_VALUE
    for it in range(256):
        squares = p1_sq[it] * p2_sq[it]
        spread = p1[it] * (1.0 - p1[it])
        crit = -1.0 * (_log(squares) if squares > 0.0 else 0.0) + 2 * (_log(spread) if spread > 0.0 else 0.0)
        if crit > max_crit:
            max_crit, threshold = crit, it
    return threshold


_FUNCTIONS: dict[str, Callable[[list[int]], int]] = {
    "Default": default_isodata, "Huang": huang, "Intermodes": intermodes, "IsoData": isodata,
    "IJ_IsoData": ij_isodata, "Li": li, "MaxEntropy": max_entropy, "Mean": mean, "MinError": min_error,
    "Minimum": minimum, "Moments": moments, "Otsu": otsu, "Percentile": percentile,
    "RenyiEntropy": renyi_entropy, "Shanbhag": shanbhag, "Triangle": triangle, "Yen": yen,
}
