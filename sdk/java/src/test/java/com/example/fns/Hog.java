package com.example.fns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;
import java.util.ArrayList;
import java.util.List;

/** Allocates until the heap is full; with data "catch" it catches the error and wraps it. */
public class Hog implements Handler {

    @Override
    public Result handle(Event event, Context context) {
        List<byte[]> hoard = new ArrayList<>();
        try {
            while (true) {
                hoard.add(new byte[1024 * 1024]);
            }
        } catch (OutOfMemoryError e) {
            if (event.dataAsString().equals("catch")) {
                hoard = null;
                throw new IllegalStateException("wrapped", e);
            }
            throw e;
        }
    }
}
