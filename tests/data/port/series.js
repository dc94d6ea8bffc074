// A folder of slices as a stack (FolderOpener), per-slice tags. Argument: the folder.
importClass(Packages.ij.plugin.FolderOpener);
var imp = FolderOpener.open(getArgument());
print("Stack: " + imp.getStackSize() + " slices, " + imp.getWidth() + "x" + imp.getHeight());
for (var i = 1; i <= imp.getStackSize(); i++) {
    imp.setSlice(i);
    print(i + ": Instance=" + DicomTools.getTag(imp, "0020,0013") + " mean=" + IJ.d2s(imp.getStatistics().mean, 3));
}
