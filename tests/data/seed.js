importClass(Packages.ij.IJ)
importClass(Packages.ij.util.DicomTools)
imp = IJ.openImage("ct.dcm.zip");
studyDescription = DicomTools.getTag(imp, "0008,1030");
imagePosition = DicomTools.getTag(imp, "0020,0032");
pixelSpacing = DicomTools.getTag(imp, "0028,0030");
print("Study Description: "+ studyDescription);
print("Image Position: "+imagePosition);
print("Pixel Spacing: "+ pixelSpacing);
