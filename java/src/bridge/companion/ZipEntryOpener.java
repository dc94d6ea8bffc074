package bridge.companion;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileInfo;
import ij.plugin.DICOM;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;

/**
 * The DICOM branch of ImageJ's {@code Opener.openZip}, on an entry already inflated to a file.
 *
 * <p>ImageJ decodes a zip's first {@code .dcm} entry straight from the {@code ZipInputStream};
 * its header walk skips with {@code while (n > 0) n -= in.skip(n)}, which spins forever once a
 * zip stream has ended.  The Python side inflates the entry (under a byte budget) to a private
 * file first; decoding it here through a stream keeps every other stream behaviour of ImageJ's
 * zip path (no length check, the 400000-byte mark, the empty image for a failing entry), while a
 * file stream's {@code skip} past the end returns at once.
 */
final class ZipEntryOpener {

    private ZipEntryOpener() {
    }

    static ImagePlus open(String entryFile, String entryName, String zipPath) {
        CommandTable.install();
        return QuietOut.call(() -> decode(entryFile, entryName, zipPath));
    }

    private static ImagePlus decode(String entryFile, String entryName, String zipPath) {
        DICOM dicom;
        try (InputStream in = new FileInputStream(entryFile)) {
            dicom = new DICOM(in);
            dicom.run(entryName);
        } catch (Exception e) {
            IJ.error("Opener", "" + e);   // what openZip does with any exception
            return null;
        }
        FileInfo fi = dicom.getOriginalFileInfo();
        if (fi != null) {
            File zip = new File(zipPath);
            fi.fileFormat = FileInfo.ZIP_ARCHIVE;
            fi.fileName = zip.getName();
            String parent = zip.getParent();
            if (parent != null) {
                fi.directory = parent + File.separator;
            }
        }
        return dicom;
    }
}
