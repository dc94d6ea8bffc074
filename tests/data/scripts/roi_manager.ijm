// The ROI Manager's basics on a DICOM image: add, count, select, measure, save, reset, open.
// Argument: "<image path> <output folder>".
args = split(getArgument(), " ");
dir = args[1] + File.separator;
open(args[0]);
run("Set Measurements...", "area mean standard min redirect=None decimal=3");
roiManager("reset");
makeOval(32, 32, 64, 64);
roiManager("add");
makeRectangle(10, 10, 20, 30);
roiManager("add");
makePolygon(70, 20, 110, 30, 100, 60);
roiManager("add");
print("Count: " + roiManager("count"));
roiManager("select", 1);
getSelectionBounds(x, y, w, h);
print("Selected " + roiManager("index") + ": type " + selectionType() + ", " + x + "," + y + " " + w + "x" + h);
roiManager("deselect");
roiManager("measure");
print("nResults after measuring all: " + nResults);
for (i = 0; i < nResults; i++)
    print("  " + i + ": mean " + d2s(getResult("Mean", i), 3) + " area " + getResult("Area", i));
roiManager("select", newArray(0, 2));
roiManager("measure");
print("nResults after measuring two: " + nResults);
roiManager("select", 2);
roiManager("rename", "wedge");
print("Name of 2: " + call("ij.plugin.frame.RoiManager.getName", 2));
roiManager("save", dir + "rois.zip");
roiManager("reset");
print("Count after reset: " + roiManager("count"));
roiManager("open", dir + "rois.zip");
print("Count after open: " + roiManager("count"));
roiManager("select", 2);
getStatistics(area, mean);
print("Reopened wedge: area " + area + " mean " + d2s(mean, 3));
saveAs("Results", dir + "roi_results.csv");
