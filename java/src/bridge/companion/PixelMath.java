package bridge.companion;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.Macro;
import ij.WindowManager;
import ij.plugin.PlugIn;
import ij.process.ImageProcessor;
import ij.util.Tools;

/**
 * "Multiply..." and "Add..." for the current image, without ImageMath's dialog.
 *
 * <p>Reads {@code value=} from the macro options exactly as ImageMath's dialog would and
 * applies ImageJ's own {@code ImageProcessor.multiply/add} to the image, or to every slice
 * when the options say {@code stack}, with the same effect on the display range as
 * ImageMath run by ImageJ's filter runner.  Only installed as a command by {@link CommandTable}.
 */
public final class PixelMath implements PlugIn {

    @Override
    public void run(String arg) {
        ImagePlus imp = WindowManager.getCurrentImage();
        String options = Macro.getOptions();
        if (imp == null) {
            IJ.noImage();   // as ImageJ's filter runner does: DICOM.open calls this after a failed read
            return;
        }
        if (options == null) {
            IJ.error("PixelMath", "no \"value=\" option");
            return;
        }
        double value = Tools.parseDouble(Macro.getValue(options, "value", ""));
        boolean wholeStack = (" " + options + " ").contains(" stack ");
        if (wholeStack && imp.getStackSize() > 1) {
            ImageStack stack = imp.getStack();
            for (int slice = 1; slice <= stack.getSize(); slice++) {
                apply(arg, stack.getProcessor(slice), value);
            }
        } else {
            // ImageJ's filter runner takes an undo snapshot of a single image first, which
            // fixes a float image's lazily computed display range at the values before the
            // arithmetic; the copy itself is not kept.
            ImageProcessor ip = imp.getProcessor();
            ip.snapshot();
            apply(arg, ip, value);
            ip.setSnapshotPixels(null);
        }
    }

    private static void apply(String op, ImageProcessor ip, double value) {
        if ("mul".equals(op)) {
            ip.multiply(value);
        } else if ("add".equals(op)) {
            ip.add(value);
        } else {
            throw new IllegalArgumentException("PixelMath does not know \"" + op + "\"");
        }
    }
}
