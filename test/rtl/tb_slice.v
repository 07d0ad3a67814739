// Testbench for slice_top: replays fxsim golden inputs and dumps the DUT's results in fxsim's
// golden layout, so `fxsim check GOLDEN DUT` can compare them.
//
// Per sample n (s0000, s0001, ...), with P = <sample>.<layer>:
//   reads   GOLDEN/P.<mac>.in.hex  (N_IN words)   and  GOLDEN/P.<mac>.w.hex (N_OUT x N_IN, row-major)
//   writes  DUT/P.<mac>.out.hex, DUT/P.<shift>.out.hex, DUT/P.<act>.out.hex (N_OUT words each)
//   and, for STOCH, DUT/<sample>.rng.before.hex: the LFSR state before the sample
// Files are $readmemh text: one `//` header line, then one word per line, zero-padded lowercase
// hex of the tensor's width, trailing newline.
//
// Plusargs: +golden=DIR +dut=DIR (required); +samples=N (default 4); +layer=L0 +mac=mac
// +shift=shift1 +act=relu (tensor names); +rng_from_golden: load the LFSR from
// GOLDEN/s0000.rng.before.hex instead of starting at LFSR_SEED (STOCH).
// Mode and widths are parameters: iverilog -P tb_slice.MODE=1 ...
module tb_slice;
    parameter N_IN   = 16;
    parameter N_OUT  = 4;
    parameter X_W    = 8;
    parameter W_W    = 8;
    parameter ACC_W  = 24;
    parameter SHIFT  = 8;
    parameter OUT_W  = 8;
    parameter MODE   = 0;                 // 0 TRN, 1 RND_CONV, 2 STOCH
    parameter LFSR_W = 16;
    parameter [LFSR_W-1:0] LFSR_TAPS = 16'hD008;
    parameter [LFSR_W-1:0] LFSR_SEED = 16'hACE1;

    reg clk = 1'b0;
    always #5 clk = ~clk;

    reg                       rst = 1'b1;
    reg                       start = 1'b0;
    reg                       rng_load = 1'b0;
    reg  [LFSR_W-1:0]         rng_value = 0;
    reg  [N_IN*X_W-1:0]       x_vec;
    reg  [N_OUT*N_IN*W_W-1:0] w_mat;
    wire [N_OUT*ACC_W-1:0]    acc_vec;
    wire [N_OUT*OUT_W-1:0]    shift_vec;
    wire [N_OUT*OUT_W-1:0]    act_vec;
    wire [LFSR_W-1:0]         rng_state;
    wire                      done;

    slice_top #(
        .N_IN(N_IN), .N_OUT(N_OUT), .X_W(X_W), .W_W(W_W), .ACC_W(ACC_W), .SHIFT(SHIFT),
        .OUT_W(OUT_W), .MODE(MODE), .LFSR_W(LFSR_W), .LFSR_TAPS(LFSR_TAPS), .LFSR_SEED(LFSR_SEED)
    ) dut (
        .clk(clk), .rst(rst), .start(start), .x_vec(x_vec), .w_mat(w_mat),
        .rng_load(rng_load), .rng_value(rng_value),
        .acc_vec(acc_vec), .shift_vec(shift_vec), .act_vec(act_vec), .rng_state(rng_state),
        .done(done)
    );

    reg [X_W-1:0]    xmem [0:N_IN-1];
    reg [W_W-1:0]    wmem [0:N_OUT*N_IN-1];
    reg [LFSR_W-1:0] rmem [0:0];

    reg [8*1024-1:0] golden_dir, dut_dir, layer, mac_name, shift_name, act_name, fname;
    reg [8*64-1:0]   sample;
    reg [8*1024-1:0] tensor, msg;
    integer          n_samples, n, i, fd, cycles;

    task fail;
        input [8*1024-1:0] msg;
        begin
            $display("tb_slice: ERROR: %0s", msg);
            $fatal(1);
        end
    endtask

    // open DUT/<sample>.<tensor>.hex and write its header line
    // (the tensor name is in `tensor`)
    task open_out;
        input integer     words;
        input integer     width;
        begin
            $sformat(fname, "%0s/%0s.%0s.hex", dut_dir, sample, tensor);
            fd = $fopen(fname, "w");
            if (fd == 0) begin
                $sformat(msg, "cannot write %0s", fname);
                fail(msg);
            end
            $fwrite(fd, "// %0s.%0s: %0d words of %0d bits (tb_slice)\n", sample, tensor, words, width);
        end
    endtask

    initial begin
        if (!$value$plusargs("golden=%s", golden_dir)) fail("missing +golden=DIR");
        if (!$value$plusargs("dut=%s", dut_dir)) fail("missing +dut=DIR");
        if (!$value$plusargs("samples=%d", n_samples)) n_samples = 4;
        if (!$value$plusargs("layer=%s", layer)) layer = "L0";
        if (!$value$plusargs("mac=%s", mac_name)) mac_name = "mac";
        if (!$value$plusargs("shift=%s", shift_name)) shift_name = "shift1";
        if (!$value$plusargs("act=%s", act_name)) act_name = "relu";

        repeat (2) @(posedge clk);
        rst <= 1'b0;
        @(posedge clk);

        if ($test$plusargs("rng_from_golden")) begin
            rmem[0] = {LFSR_W{1'bx}};
            $sformat(fname, "%0s/s0000.rng.before.hex", golden_dir);
            $readmemh(fname, rmem);
            if (^rmem[0] === 1'bx) begin
                $sformat(msg, "cannot read %0s", fname);
                fail(msg);
            end
            rng_value <= rmem[0];
            rng_load  <= 1'b1;
            @(posedge clk);
            rng_load  <= 1'b0;
            @(posedge clk);
        end

        for (n = 0; n < n_samples; n = n + 1) begin
            $sformat(sample, "s%04d", n);

            // ---- inputs ----
            for (i = 0; i < N_IN; i = i + 1) xmem[i] = {X_W{1'bx}};
            for (i = 0; i < N_OUT * N_IN; i = i + 1) wmem[i] = {W_W{1'bx}};
            $sformat(fname, "%0s/%0s.%0s.%0s.in.hex", golden_dir, sample, layer, mac_name);
            $readmemh(fname, xmem);
            for (i = 0; i < N_IN; i = i + 1)
                if (^xmem[i] === 1'bx) begin
                    $sformat(msg, "missing or short input file %0s (need %0d words)", fname, N_IN);
                    fail(msg);
                end
            $sformat(fname, "%0s/%0s.%0s.%0s.w.hex", golden_dir, sample, layer, mac_name);
            $readmemh(fname, wmem);
            for (i = 0; i < N_OUT * N_IN; i = i + 1)
                if (^wmem[i] === 1'bx) begin
                    $sformat(msg, "missing or short weight file %0s (need %0d words)", fname, N_OUT * N_IN);
                    fail(msg);
                end
            for (i = 0; i < N_IN; i = i + 1) x_vec[i*X_W +: X_W] = xmem[i];
            for (i = 0; i < N_OUT * N_IN; i = i + 1) w_mat[i*W_W +: W_W] = wmem[i];

            // STOCH: the LFSR state before this sample (fxsim records it as <sample>.rng.before)
            if (MODE == 2) begin
                tensor = "rng.before";
                open_out(1, LFSR_W);
                $fwrite(fd, "%h\n", rng_state);
                $fclose(fd);
            end

            // ---- run ----
            start <= 1'b1;
            @(posedge clk);
            start <= 1'b0;
            cycles = 0;
            while (!done) begin
                @(posedge clk);
                cycles = cycles + 1;
                if (cycles > 10 * (N_IN + N_OUT) + 100) fail("timeout waiting for done");
            end

            // ---- outputs ----
            $sformat(tensor, "%0s.%0s.out", layer, mac_name);
            open_out(N_OUT, ACC_W);
            for (i = 0; i < N_OUT; i = i + 1) $fwrite(fd, "%h\n", acc_vec[i*ACC_W +: ACC_W]);
            $fclose(fd);
            $sformat(tensor, "%0s.%0s.out", layer, shift_name);
            open_out(N_OUT, OUT_W);
            for (i = 0; i < N_OUT; i = i + 1) $fwrite(fd, "%h\n", shift_vec[i*OUT_W +: OUT_W]);
            $fclose(fd);
            $sformat(tensor, "%0s.%0s.out", layer, act_name);
            open_out(N_OUT, OUT_W);
            for (i = 0; i < N_OUT; i = i + 1) $fwrite(fd, "%h\n", act_vec[i*OUT_W +: OUT_W]);
            $fclose(fd);
        end
        $display("tb_slice: %0d samples written to %0s (MODE %0d)", n_samples, dut_dir, MODE);
        $finish;
    end
endmodule
