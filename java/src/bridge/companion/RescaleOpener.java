package bridge.companion;

import ij.IJ;
import ij.ImagePlus;

/**
 * {@code IJ.openImage} with the result the ImageJ GUI gives, System.out kept quiet.
 *
 * <p>Everything is ImageJ's own opening code.  The one difference headless ImageJ has is a
 * DICOM with Rescale Slope != 1: the reader converts it to 32-bit through menu commands,
 * which headless ImageJ cannot find (a HeadlessException the first time, "Unrecognized
 * command" after).  {@link CommandTable} provides those commands, so the reader's own
 * logic (calibrated float conversion, x slope + intercept, the display range of one image
 * or of slice nSlices/2, a window overriding both) runs unchanged, also inside zips.
 */
final class RescaleOpener {

    private RescaleOpener() {
    }

    static ImagePlus openImage(String path) {
        CommandTable.install();
        return QuietOut.call(() -> IJ.openImage(path));
    }
}
