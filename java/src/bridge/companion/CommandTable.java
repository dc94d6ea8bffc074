package bridge.companion;

import ij.Menus;
import java.awt.GraphicsEnvironment;
import java.lang.reflect.Field;
import java.util.Hashtable;
import java.util.Map;

/**
 * Gives headless ImageJ the small menu command table it needs to run DICOM reading and macros.
 *
 * <p>{@code IJ.run} and {@code IJ.open} build ImageJ's menu bar first (a HeadlessException
 * without a display) unless {@code Menus.getCommands()} is already non-null.  With a table
 * present they run on the calling thread, so:
 * <ul>
 * <li>the macro function {@code open(path)} works headless;</li>
 * <li>ImageJ's DICOM reader, which converts a Rescale Slope != 1 image with
 *     {@code IJ.run(imp, "32-bit")}, {@code "Multiply..."} and {@code "Add..."}, finds those
 *     three commands.  "32-bit" is ImageJ's own Converter (it needs no dialog); the two
 *     arithmetic commands are {@link PixelMath}, because ImageJ's ImageMath reads its value
 *     through a dialog.  DICOM's own code then sets the display range and window, so the
 *     result is the one the ImageJ GUI gives.</li>
 * </ul>
 * Existing entries are never replaced (a real ImageJ table keeps its own commands).
 */
final class CommandTable {

    static final Map<String, String> RESCALE_COMMANDS = Map.of(
            "32-bit", "ij.plugin.Converter(\"32-bit\")",
            "Multiply...", PixelMath.class.getName() + "(\"mul\")",
            "Add...", PixelMath.class.getName() + "(\"add\")");

    private static boolean installed;
    private static boolean imagejTable;

    private CommandTable() {
    }

    /** Makes sure ImageJ has a command table holding the rescale commands; cheap after the first call. */
    @SuppressWarnings("unchecked")
    static synchronized void install() {
        if (installed) {
            return;
        }
        Session.daemonThreadPool(); // commands may use ImageJ's thread pool (see there)
        if (!GraphicsEnvironment.isHeadless()) {
            leaveToImageJ(); // ImageJ builds its own table, with its own rescale commands
            return;
        }
        Hashtable<String, String> table = (Hashtable<String, String>) Menus.getCommands();
        if (table == null) {
            table = new Hashtable<>();
            setPluginsTable(table);
        }
        for (Map.Entry<String, String> command : RESCALE_COMMANDS.entrySet()) {
            table.putIfAbsent(command.getKey(), command.getValue());
        }
        installed = true;
    }

    /**
     * Leaves the command table to ImageJ (needs a display): {@code Menus.getCommands()} builds
     * ImageJ's own table the first time a command runs ({@code Menus.addMenuBar}: the jar's
     * IJ_Props.txt plus the items Menus adds itself), exactly as in {@code ij.ImageJ -batch}, so a
     * script that runs no command never pays for it.  A small table {@link #install} put in
     * earlier is dropped, so that ImageJ builds its own.
     */
    static synchronized void leaveToImageJ() {
        if (imagejTable) {
            return;
        }
        if (installed) {
            setPluginsTable(null);
        }
        installed = true;   // from now on install() adds nothing
        imagejTable = true;
    }

    /** {@code Menus.pluginsTable} is private and has no setter; it is only read through getCommands(). */
    private static void setPluginsTable(Hashtable<String, String> table) {
        try {
            Field field = Menus.class.getDeclaredField("pluginsTable");
            field.setAccessible(true);
            field.set(null, table);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this ImageJ has no Menus.pluginsTable to fill", e);
        }
    }
}
