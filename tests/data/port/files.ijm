// Batch-processing idioms: a folder's files, File.* path functions. Argument: the folder.
dir = getArgument();
list = getFileList(dir);
print(list.length + " entries");
for (i = 0; i < list.length; i++) {
    path = dir + File.separator + list[i];
    if (endsWith(list[i], "/")) print("folder " + list[i] + " " + File.isDirectory(path));
    else if (endsWith(list[i], ".dcm")) print("dicom " + File.getNameWithoutExtension(path) + " in " + File.getName(File.getDirectory(path)) + " exists=" + File.exists(path));
    else print("other " + File.getName(path));
}
print(File.getDirectory("a/b//c.txt") + "|" + File.getName("a/b/") + "|" + File.getDirectory("c.txt") + "|");
