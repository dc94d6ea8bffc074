// Per-slice statistics of a stack with control flow. Argument: the image path.
open(getArgument());
print(getTitle() + ": " + nSlices + " slices, " + getWidth() + "x" + getHeight() + ", " + bitDepth() + "-bit");

function describe(value) {
    if (value > 1000) return "bright";
    else if (value > 100) return "medium";
    return "dark";
}

best = -1;
brightest = 0;
means = newArray(nSlices);
for (i = 1; i <= nSlices; i++) {
    setSlice(i);
    getStatistics(area, mean, min, max);
    means[i - 1] = mean;
    if (mean > best) {
        best = mean;
        brightest = i;
    }
    print(i + ": mean=" + mean + " min=" + min + " max=" + max + " " + describe(mean) + getInfo("0020,0013"));
}
print("brightest slice " + brightest + ", mean " + d2s(best, 3));
Array.getStatistics(means, low, high, average, spread);
print("means from " + low + " to " + high + ", average " + average + " sd " + spread);
setSlice(brightest);
w = getWidth();
h = getHeight();
makeOval(w / 4, h / 4, w / 2, h / 2);
run("Set Measurements...", "area mean min redirect=None decimal=3");
run("Measure");
print("ROI: mean " + getResult("Mean", nResults - 1) + ", area " + getResult("Area", 0) + ", rows " + nResults);
n = 0;
while (getPixel(n, n) == getPixel(0, 0) && n < w - 1) n++;
print("first pixel on the diagonal that differs: " + n);
