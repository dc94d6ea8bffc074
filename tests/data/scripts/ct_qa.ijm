// CT phantom QA: CT number, noise, uniformity, low contrast, body size and an edge profile.
// The kind of macro a physicist runs on each daily water-phantom scan.
// Argument: "<image path> <results path>".
args = split(getArgument(), " ");
if (args.length < 2) exit("usage: ct_qa.ijm <image> <results.csv>");
open(args[0]);
title = getTitle();
w = getWidth(); h = getHeight();
getPixelSize(unit, pw, ph);
print("Image: " + title + " " + w + "x" + h + " " + bitDepth() + "-bit");
print("Modality:" + getInfo("0008,0060"));
print("Pixel size: " + d2s(pw, 3) + " x " + d2s(ph, 3) + " " + unit);
print("Rescale:" + getInfo("0028,1052") + " /" + getInfo("0028,1053"));
run("Set Measurements...", "area mean standard min median integrated redirect=None decimal=3");
run("Clear Results");

// Regions of interest: a centre disc and four at 3, 6, 9 and 12 o'clock.
r = round(w / 16);
cx = w / 2; cy = h / 2;
off = round(w / 4);
names = newArray("centre", "right", "bottom", "left", "top");
xs = newArray(cx, cx + off, cx, cx - off, cx);
ys = newArray(cy, cy, cy + off, cy, cy - off);
means = newArray(names.length);
sds = newArray(names.length);
for (i = 0; i < names.length; i++) {
    makeOval(xs[i] - r, ys[i] - r, 2 * r, 2 * r);
    run("Measure");
    setResult("Label", nResults - 1, names[i]);
    means[i] = getResult("Mean", nResults - 1);
    sds[i] = getResult("StdDev", nResults - 1);
    print(names[i] + ": mean " + d2s(means[i], 2) + " HU, SD " + d2s(sds[i], 2));
}
run("Select None");

// CT number of water and noise: the centre ROI.
water = means[0];
noise = sds[0];
print("Water CT number: " + d2s(water, 2) + " HU (tolerance +-4)");
print("Noise: " + d2s(noise, 2) + " HU");
if (abs(water) > 4) print("FAIL: water CT number out of tolerance");
else print("PASS: water CT number");

// Uniformity: the largest difference between a peripheral ROI and the centre.
worst = 0;
for (i = 1; i < names.length; i++) {
    d = means[i] - water;
    if (abs(d) > abs(worst)) worst = d;
}
print("Uniformity (max |periphery - centre|): " + d2s(worst, 2) + " HU");
if (abs(worst) > 5) print("FAIL: uniformity");
else print("PASS: uniformity");

// Low contrast: the insert at 45 degrees against the background next to it.
ix = cx + round(off * 0.7); iy = cy - round(off * 0.7);
makeOval(ix - r / 2, iy - r / 2, r, r);
getStatistics(area, insertMean, min, max, insertSd);
makeOval(ix - r / 2 + 2 * r, iy - r / 2, r, r);
getStatistics(area, backMean, min, max, backSd);
cnr = (insertMean - backMean) / backSd;
print("Low-contrast insert: " + d2s(insertMean, 2) + " vs " + d2s(backMean, 2) + " HU, CNR " + d2s(cnr, 2));
run("Select None");

// Noise after a 2-pixel median, on a copy.
run("Duplicate...", "title=filtered");
run("Median...", "radius=2");
makeOval(cx - r, cy - r, 2 * r, 2 * r);
run("Measure");
setResult("Label", nResults - 1, "centre, median 2");
filteredSd = getResult("StdDev", nResults - 1);
print("Noise after median: " + d2s(filteredSd, 2) + " HU (" + d2s(100 * filteredSd / noise, 1) + "%)");
close("filtered");

// Body size: the phantom above -500 HU, as a mask.
selectWindow(title);
run("Select None");
setThreshold(-500, 3000);
run("Create Selection");
getStatistics(bodyArea);
diameter = 2 * sqrt(bodyArea / PI);
print("Phantom diameter: " + d2s(diameter, 1) + " " + unit);
resetThreshold();
run("Select None");

// Edge profile across the phantom's left edge: 10%-90% rise distance.
makeLine(0, cy, cx, cy);
profile = getProfile();
Array.getStatistics(profile, pmin, pmax);
low = pmin + 0.1 * (pmax - pmin); high = pmin + 0.9 * (pmax - pmin);
first = -1; last = -1;
for (i = 0; i < profile.length; i++) {
    if (first < 0 && profile[i] > low) first = i;
    if (last < 0 && profile[i] > high) last = i;
}
print("Edge 10-90%: " + d2s((last - first) * pw, 2) + " " + unit + " (" + (last - first) + " px)");
run("Select None");

// Histogram of the centre ROI, in 10 bins.
makeOval(cx - r, cy - r, 2 * r, 2 * r);
getHistogram(values, counts, 10);
for (i = 0; i < 10; i++) print("bin " + i + ": " + d2s(values[i], 1) + " " + counts[i]);
run("Select None");

updateResults();
saveAs("Results", args[1]);
print("Saved rows: " + nResults);
print("Left open: " + nImages);
