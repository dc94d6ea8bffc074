#@ File image
# The phantom check's first lines, in Fiji Python (Jython style).
from ij import IJ
from ij.util import DicomTools

imp = IJ.openImage(image.getAbsolutePath())
print("Image: " + imp.getTitle() + " " + str(imp.getWidth()) + "x" + str(imp.getHeight()) + " " + str(imp.getBitDepth()) + "-bit")
print("Modality:" + DicomTools.getTag(imp, "0008,0060"))
IJ.run(imp, "Median...", "radius=2")
stats = imp.getStatistics()
print("Filtered mean: " + IJ.d2s(stats.mean, 3))
