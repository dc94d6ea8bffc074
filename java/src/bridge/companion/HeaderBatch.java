package bridge.companion;

import ij.ImagePlus;
import ij.plugin.DICOM;
import ij.util.DicomTools;

/**
 * Headers and tag values of many files in one call, for scanning folders.
 *
 * <p>Each header is ImageJ's {@code new DICOM().getInfo(path)}.  A Java exception for one
 * file does not stop the batch: its entry becomes {@link #ERROR_MARK} followed by the
 * exception's class, a NUL and its message.  ImageJ's header text never holds a NUL (it
 * turns control characters into spaces), so the mark cannot be mistaken for a header.
 */
final class HeaderBatch {

    /** Starts an entry that stands for a failure: MARK + class + NUL + message. */
    static final String ERROR_MARK = "\u0000error\u0000";

    private HeaderBatch() {
    }

    static String[] infos(String[] paths) {
        return QuietOut.call(() -> {
            String[] headers = new String[paths.length];
            for (int i = 0; i < paths.length; i++) {
                headers[i] = infoOrMark(paths[i]);
            }
            return headers;
        });
    }

    /**
     * One row per path: the value of each tag (null where absent), a one-element row
     * holding the error mark when the header could not be read, or an empty row when the
     * header text is empty (so that a scan can tell "not DICOM" from "tags absent").
     */
    static String[][] tags(String[] paths, String[] tags) {
        return QuietOut.call(() -> {
            String[][] rows = new String[paths.length][];
            for (int i = 0; i < paths.length; i++) {
                String header = infoOrMark(paths[i]);
                if (header.startsWith(ERROR_MARK)) {
                    rows[i] = new String[] {header};
                } else {
                    rows[i] = header.isEmpty() ? new String[0] : tagsOf(header, tags);
                }
            }
            return rows;
        });
    }

    private static String infoOrMark(String path) {
        if (path == null) { // ImageJ would ask for a file in a dialog (and throw headless)
            return ERROR_MARK + NullPointerException.class.getName() + "\u0000no path";
        }
        try {
            return new DICOM().getInfo(path);
        } catch (Exception | LinkageError e) {
            return ERROR_MARK + e.getClass().getName() + "\u0000" + e.getMessage();
        }
    }

    /** DicomTools.getTag on a bare header, through an image that carries it as its Info. */
    private static String[] tagsOf(String header, String[] tags) {
        ImagePlus carrier = new ImagePlus();
        carrier.setProperty("Info", header);
        String[] values = new String[tags.length];
        for (int j = 0; j < tags.length; j++) {
            try {
                values[j] = DicomTools.getTag(carrier, tags[j]);
            } catch (RuntimeException e) { // 1.53t runs past the text's end for a tag on the last line
                values[j] = null;
            }
        }
        return values;
    }
}
