package bridge.companion;

import ij.ImagePlus;
import ij.ImageStack;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import sun.misc.Unsafe;

/**
 * All pixels of an image in one call, for a fast Java to numpy transfer.
 *
 * <p>Slices are written one after another in native byte order with Java's bulk buffer
 * copies (memcpy speed), in ImageJ's storage type: 8-bit (and COLOR_256) as bytes,
 * 16-bit as unsigned shorts, 32-bit as floats, RGB as packed ints.  A one-image ImagePlus
 * is read through its processor, because {@code getStack()} would add a slice label.
 */
final class StackExport {

    private StackExport() {
    }

    /** Bytes per pixel of ImageJ's storage for this image type. */
    static int bytesPerPixel(ImagePlus imp) {
        switch (imp.getType()) {
            case ImagePlus.GRAY16:
                return 2;
            case ImagePlus.GRAY32:
            case ImagePlus.COLOR_RGB:
                return 4;
            default:
                return 1;
        }
    }

    /** The number of bytes {@link #exportInto} writes. */
    static long byteCount(ImagePlus imp) {
        return (long) imp.getWidth() * imp.getHeight() * imp.getStackSize() * bytesPerPixel(imp);
    }

    static ByteBuffer export(ImagePlus imp) {
        long size = byteCount(imp);
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image has " + size + " bytes, more than one buffer holds");
        }
        ByteBuffer target = ByteBuffer.allocateDirect((int) size);
        exportInto(imp, target);
        return target;
    }

    private static void exportInto(ImagePlus imp, ByteBuffer target) {
        long size = byteCount(imp);
        if (target.capacity() < size) {
            throw new IllegalArgumentException("target holds " + target.capacity() + " bytes, image needs " + size);
        }
        ByteBuffer out = target.duplicate().order(ByteOrder.nativeOrder());
        out.clear();
        int n = imp.getStackSize();
        if (n == 1) {
            put(out, imp.getProcessor().getPixels());
            return;
        }
        ImageStack stack = imp.getStack();
        for (int slice = 1; slice <= n; slice++) {
            put(out, stack.getPixels(slice));
        }
    }

    /**
     * Copies every slice to native memory at {@code address} (at most {@code capacity} bytes).
     *
     * <p>For memory Python owns, e.g. a fresh numpy array ({@code arr.ctypes.data}): a
     * direct ByteBuffer over Python memory (JPype's convertToDirectBuffer) would keep that
     * memory alive until the next Java garbage collection, so the copy goes straight to the
     * address instead.  The caller guarantees the memory stays valid during the call.
     */
    static void exportToAddress(ImagePlus imp, long address, long capacity) {
        long size = byteCount(imp);
        if (address == 0 || capacity < size) {
            throw new IllegalArgumentException("target holds " + capacity + " bytes, image needs " + size);
        }
        int n = imp.getStackSize();
        long offset = address;
        if (n == 1) {
            copy(imp.getProcessor().getPixels(), offset);
            return;
        }
        ImageStack stack = imp.getStack();
        for (int slice = 1; slice <= n; slice++) {
            offset += copy(stack.getPixels(slice), offset);
        }
    }

    /** Copies one pixel array to native memory; returns the bytes written. */
    private static long copy(Object pixels, long address) {
        long bytes;
        long base;
        if (pixels instanceof byte[]) {
            bytes = ((byte[]) pixels).length;
            base = Unsafe.ARRAY_BYTE_BASE_OFFSET;
        } else if (pixels instanceof short[]) {
            bytes = 2L * ((short[]) pixels).length;
            base = Unsafe.ARRAY_SHORT_BASE_OFFSET;
        } else if (pixels instanceof float[]) {
            bytes = 4L * ((float[]) pixels).length;
            base = Unsafe.ARRAY_FLOAT_BASE_OFFSET;
        } else if (pixels instanceof int[]) {
            bytes = 4L * ((int[]) pixels).length;
            base = Unsafe.ARRAY_INT_BASE_OFFSET;
        } else {
            throw new IllegalArgumentException("unsupported pixel array " + pixels);
        }
        UNSAFE.copyMemory(pixels, base, null, address, bytes);
        return bytes;
    }

    private static final Unsafe UNSAFE = loadUnsafe();

    private static Unsafe loadUnsafe() {
        try {
            Field field = Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (Unsafe) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Appends one slice's pixel array at {@code out}'s position and advances it. */
    private static void put(ByteBuffer out, Object pixels) {
        int start = out.position();
        if (pixels instanceof byte[]) {
            out.put((byte[]) pixels);
        } else if (pixels instanceof short[]) {
            short[] values = (short[]) pixels;
            out.asShortBuffer().put(values);
            out.position(start + 2 * values.length);
        } else if (pixels instanceof float[]) {
            float[] values = (float[]) pixels;
            out.asFloatBuffer().put(values);
            out.position(start + 4 * values.length);
        } else if (pixels instanceof int[]) {
            int[] values = (int[]) pixels;
            out.asIntBuffer().put(values);
            out.position(start + 4 * values.length);
        } else {
            throw new IllegalArgumentException("unsupported pixel array " + pixels);
        }
    }
}
