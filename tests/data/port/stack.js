// The stack walk of stack.ijm, in ImageJ JavaScript. Argument: the image path.
importClass(Packages.ij.IJ);
importClass(Packages.ij.util.DicomTools);
var imp = IJ.openImage(getArgument());
print(imp.getTitle() + ": " + imp.getStackSize() + " slices, " + imp.getWidth() + "x" + imp.getHeight());

function describe(value) {
    if (value > 1000) {
        return "bright";
    } else if (value > 100) {
        return "medium";
    }
    return "dark";
}

var best = -1, brightest = 0;
for (var i = 1; i <= imp.getStackSize(); i++) {
    imp.setSlice(i);
    var stats = imp.getStatistics();
    if (stats.mean > best) {
        best = stats.mean;
        brightest = i;
    }
    print(i + ": mean=" + stats.mean + " max=" + stats.max + " " + describe(stats.mean) + DicomTools.getTag(imp, "0020,0013"));
}
print("brightest slice " + brightest + ", mean " + IJ.d2s(best, 3));
print("missing tag: " + DicomTools.getTag(imp, "0009,0009"));
