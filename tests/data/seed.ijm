open("ct.dcm.zip");
print("Study Description: " + getInfo("0008,1030"));
print("Image Position: " + getInfo("0020,0032"));
print("Pixel Spacing: " + getInfo("0028,0030"));
