// Series: open a folder as a stack and read per-slice DICOM tags.
// Argument: the folder.
run("Image Sequence...", "dir=[" + getArgument() + "] sort");
print("Stack: " + nSlices + " slices, " + getWidth() + "x" + getHeight());
for (i = 1; i <= nSlices; i++) {
    setSlice(i);
    print(i + ": Instance=" + getInfo("0020,0013") + " z=" + getInfo("0020,0032") + " mean=" + d2s(getValue("Mean"), 3));
}
run("Z Project...", "projection=[Max Intensity]");
print("Projection: " + getTitle() + " max=" + d2s(getValue("Max"), 1));
