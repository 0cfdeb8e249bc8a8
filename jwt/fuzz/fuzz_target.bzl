"""Fuzz targets that are libFuzzer binaries under --config=fuzz and, in every
other build, tests that replay their seed corpus."""

def signet_fuzz_target(name, srcs, corpus, deps = []):
    native.cc_binary(
        name = name,
        srcs = srcs,
        linkopts = select({
            "//third_party:fuzzing": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        deps = deps + select({
            "//third_party:fuzzing": [],
            "//conditions:default": ["//jwt/fuzz:corpus_replayer"],
        }),
    )

    native.sh_test(
        name = name + "_corpus_test",
        srcs = ["//jwt/fuzz:replay_corpus.sh"],
        args = ["$(location :%s)" % name, native.package_name() + "/" + corpus],
        data = [":" + name] + native.glob([corpus + "/*"]),
    )
