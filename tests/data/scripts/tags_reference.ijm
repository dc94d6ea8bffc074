// What tags.js and tags.py do, as a macro: their reference output. Argument: the image path.
open(getArgument());
print("Image: " + getTitle() + " " + getWidth() + "x" + getHeight() + " " + bitDepth() + "-bit");
print("Modality:" + getInfo("0008,0060"));
run("Median...", "radius=2");
getStatistics(area, mean);
print("Filtered mean: " + d2s(mean, 3));
