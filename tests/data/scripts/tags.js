// The phantom check's first lines, in ImageJ JavaScript. Argument: the image path.
var imp = IJ.openImage(getArgument());
print("Image: " + imp.getTitle() + " " + imp.getWidth() + "x" + imp.getHeight() + " " + imp.getBitDepth() + "-bit");
print("Modality:" + DicomTools.getTag(imp, "0008,0060"));
IJ.run(imp, "Median...", "radius=2");
var stats = imp.getStatistics();
print("Filtered mean: " + IJ.d2s(stats.mean, 3));
