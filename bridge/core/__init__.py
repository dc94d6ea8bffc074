"""ImageJ's DICOM reader and processors, in Python: the core both backends share.

The pure backend is a thin adapter over these modules; the jvm backend uses
them for the pre-flight walk that keeps hostile files away from ImageJ and for
the routing and scans both backends share.  Nothing here imports a backend.

Module map, in reading order:

* ``versions.py``   - what changes with the ImageJ release emulated (1.53t, 1.54f, 1.54p): one rule table.
* ``limits.py``     - the size and nesting limits every reader applies before it trusts a length.
* ``ijjar.py``      - what an ij.jar says about itself (version, dictionary), read without a JVM.
* ``dictionary.py`` - ImageJ's own tag dictionary, the emulated release's (recorded by ``scripts/``).
* ``source.py``, ``charset.py``, ``javafmt.py`` - bytes, Java's string decoding, Java's number text.
* ``walker.py``     - one pass over the bytes with ImageJ's VR guessing and sequence flag.
* ``header.py``     - the header text ImageJ builds from the walk.
* ``decoder.py``    - consumes the walk: header text and the ``FileInfo`` (``fileinfo.py``).
* ``native.py``     - the optional C accelerator (``_walker.c``): the walk and its header text in one C loop.
* ``pixels.py``, ``calibration.py``, ``image.py`` - pixels, calibration and display range, ImageJ's rules.
* ``opener.py``     - ``IJ.openImage``'s routing (sniff, zip rule, titles, nulls); ``textimage.py``.
* ``tags.py``       - ``getTag`` / ``getStringProperty`` text rules.
* ``series.py``     - ``FolderOpener.open(dir)``: a folder of files as one stack.
* ``headerscan.py`` - header rows for a batch of paths, with ImageJ's routing (scans on both backends).
* ``imageinfo.py``  - *Show Info* (``getImageInfo``) text from the model.
"""
