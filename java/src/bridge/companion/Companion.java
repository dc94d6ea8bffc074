package bridge.companion;

import ij.ImagePlus;
import java.nio.ByteBuffer;

/**
 * The entry points the Python side calls, one static method per feature.
 *
 * Each method only delegates, so that every concern lives in one small class:
 * {@link RescaleOpener} (opening with ImageJ's GUI result for Rescale Slope != 1),
 * {@link StackExport} (all pixels in one call), {@link HeaderBatch} (headers and tags
 * of many files in one call) and {@link JavaScriptRunner} / {@link MacroRunner}
 * (original ImageJ scripts, headless).
 */
public final class Companion {

    private Companion() {
    }

    /** {@code IJ.openImage(path)} as the ImageJ GUI would do it, with System.out kept quiet. */
    public static ImagePlus openImage(String path) {
        return RescaleOpener.openImage(path);
    }

    /** ImageJ's zip-entry decoding on an entry the caller inflated to {@code entryFile} (see ZipEntryOpener). */
    public static ImagePlus openZipEntry(String entryFile, String entryName, String zipPath) {
        return ZipEntryOpener.open(entryFile, entryName, zipPath);
    }

    /** Every slice of {@code imp} in one new direct buffer (native byte order, slice after slice). */
    public static ByteBuffer exportStack(ImagePlus imp) {
        return StackExport.export(imp);
    }

    /** Every slice of {@code imp} copied to native memory at {@code address} (see StackExport). */
    public static void exportStack(ImagePlus imp, long address, long capacity) {
        StackExport.exportToAddress(imp, address, capacity);
    }

    /** {@code new DICOM().getInfo(path)} for each path; failures become {@link HeaderBatch#ERROR_MARK} strings. */
    public static String[] getInfoBatch(String[] paths) {
        return HeaderBatch.infos(paths);
    }

    /** {@code DicomTools.getTag} semantics for each tag in each file's header (null where absent). */
    public static String[][] getTagsBatch(String[] paths, String[] tags) {
        return HeaderBatch.tags(paths, tags);
    }

    /** Runs an ImageJ JavaScript through Rhino; {@code name} is used in error locations. */
    public static ScriptResult runJavaScript(String source, String name, String[] args, boolean fresh) {
        return JavaScriptRunner.run(source, name, args, fresh);
    }

    /**
     * Runs an ImageJ macro in batch mode; {@code arg} is what {@code getArgument()} returns;
     * {@code fresh} starts it with no images and an empty Results table.
     */
    public static ScriptResult runMacro(String source, String name, String arg, boolean fresh) {
        return MacroRunner.run(source, name, arg, fresh);
    }

    /** {@code IJ.run(imp, command, options)}, or {@code IJ.run(command, options)} for a null imp. */
    public static ScriptResult runCommand(ImagePlus imp, String command, String options) {
        return MacroRunner.runCommand(imp, command, options);
    }

    /** A plugin object run as IJ.run runs a command's class, with macro {@code options} (see MacroRunner). */
    public static ScriptResult runPlugIn(ij.plugin.PlugIn plugin, String arg, String options) {
        return MacroRunner.runPlugIn(plugin, arg, options);
    }

    /** Makes ImageJ ready to run commands (its own command table); false when there is no display. */
    public static boolean prepareCommands() {
        return Session.prepare();
    }

    /** From now on, Java stack traces ImageJ logs go to stderr, not stdout (see SplitOut). */
    public static void keepStackTracesOffStdout() {
        SplitOut.install();
    }

    /** The message of the last dialog bridge closed (e.g. ImageJ's "Macro Error"), or null. */
    public static String lastDialogText() {
        return DialogGuard.lastText();
    }

    /** No images and an empty Results table, as in a newly started ImageJ. */
    public static void resetSession() {
        Session.reset();
    }

    /**
     * Clears ImageJ's record of a running macro, which an aborted {@code IJ.runMacro} leaves set
     * (see {@link MacroRunner}); callers of {@code IJ.runMacro} call this afterwards.
     */
    public static void forgetRunningMacro() {
        MacroRunner.forgetRunningMacro();
    }
}
