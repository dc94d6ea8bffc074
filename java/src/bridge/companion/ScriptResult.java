package bridge.companion;

import ij.ImagePlus;

/**
 * What running a script produced: its log text, its value, and where it failed if it did.
 *
 * <p>Plain public fields, read from Python.  {@code errorMessage} is null when the script
 * ran to the end; {@code errorLine} is -1 when the line is unknown.
 */
public final class ScriptResult {

    public final String output;
    public final String value;
    public final String errorFile;
    public final int errorLine;
    public final String errorMessage;
    /** Java stack traces ImageJ logged while the script ran (kept out of {@code output}). */
    public final String stackTraces;
    /** The image a command opened (it became the current image), or null. */
    public final ImagePlus opened;
    /** The images a plugin run opened, in the order it showed them (empty for scripts and commands). */
    public final ImagePlus[] images;

    private ScriptResult(String output, String value, String errorFile, int errorLine, String errorMessage,
                         String stackTraces) {
        this(output, value, errorFile, errorLine, errorMessage, stackTraces, null, new ImagePlus[0]);
    }

    private ScriptResult(String output, String value, String errorFile, int errorLine, String errorMessage,
                         String stackTraces, ImagePlus opened, ImagePlus[] images) {
        this.opened = opened;
        this.images = images;
        this.output = output;
        this.stackTraces = stackTraces;
        this.value = value;
        this.errorFile = errorFile;
        this.errorLine = errorLine;
        this.errorMessage = errorMessage;
    }

    static ScriptResult ok(String output, String value) {
        return new ScriptResult(output, value, null, -1, null, "");
    }

    static ScriptResult failed(String output, String file, int line, String message) {
        return new ScriptResult(output, null, file, line, message == null ? "" : message, "");
    }

    /** This result with {@code text} taken off the end of its output (IJ.error's copy of the message). */
    ScriptResult withoutOutputEnding(String text) {
        String kept = output.endsWith(text) ? output.substring(0, output.length() - text.length()) : output;
        return new ScriptResult(kept, value, errorFile, errorLine, errorMessage, stackTraces, opened, images);
    }

    /** This result with the image the command opened (null: none). */
    ScriptResult withOpened(ImagePlus image) {
        return new ScriptResult(output, value, errorFile, errorLine, errorMessage, stackTraces, image, images);
    }

    /** This result with the stack traces a run logged. */
    ScriptResult withStackTraces(String traces) {
        return new ScriptResult(output, value, errorFile, errorLine, errorMessage, traces, opened, images);
    }

    /** This result with the images a plugin opened. */
    ScriptResult withImages(ImagePlus[] shown) {
        return new ScriptResult(output, value, errorFile, errorLine, errorMessage, stackTraces, opened, shown);
    }

    public boolean failed() {
        return errorMessage != null;
    }
}
