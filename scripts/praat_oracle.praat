# Praat as a second oracle for emo's voice descriptors (issue 6): one CSV row per audio file named on the list.
# Usage: praat --run scripts/praat_oracle.praat LIST_FILE
# Columns: file, F0 mean in semitones from 27.5 Hz over voiced frames, F1-F3 mean frequency and bandwidth over the
# voiced frames (Burg LPC, 5 formants below 5500 Hz, 25 ms windows, 10 ms steps: Praat's standard settings),
# local jitter, local shimmer in dB (Praat's voice-report defaults) and the mean harmonics-to-noise ratio.
# Praat's own definitions, not eGeMAPS': compare by correlation across files, not by value.
form Files
    sentence list_file files.txt
endform
lines = Read Strings from raw text file: list_file$
count = Get number of strings
writeInfoLine: "file,F0semitone,F1,F2,F3,F1bandwidth,F2bandwidth,F3bandwidth,jitterLocal,shimmerLocaldB,HNR"
for k to count
    selectObject: lines
    path$ = Get string: k
    sound = Read from file: path$
    pitch = To Pitch (cc): 0, 75, 15, "no", 0.03, 0.45, 0.01, 0.35, 0.14, 600
    selectObject: sound
    formant = To Formant (burg): 0.01, 5, 5500, 0.025, 50
    frames = Get number of frames
    voiced = 0
    st = 0
    for f to 3
        fsum[f] = 0
        bsum[f] = 0
        fn[f] = 0
    endfor
    for i to frames
        selectObject: formant
        t = Get time from frame number: i
        selectObject: pitch
        f0 = Get value at time: t, "Hertz", "linear"
        if f0 <> undefined
            voiced = voiced + 1
            st = st + 12 * log2(f0 / 27.5)
            selectObject: formant
            for f to 3
                v = Get value at time: f, t, "hertz", "linear"
                b = Get bandwidth at time: f, t, "hertz", "linear"
                if v <> undefined and b <> undefined
                    fsum[f] = fsum[f] + v
                    bsum[f] = bsum[f] + b
                    fn[f] = fn[f] + 1
                endif
            endfor
        endif
    endfor
    selectObject: sound, pitch
    points = To PointProcess (cc)
    jitter = Get jitter (local): 0, 0, 0.0001, 0.02, 1.3
    selectObject: sound, points
    shimmer = Get shimmer (local_dB): 0, 0, 0.0001, 0.02, 1.3, 1.6
    selectObject: sound
    harmonicity = To Harmonicity (cc): 0.01, 75, 0.1, 1
    hnr = Get mean: 0, 0
    line$ = path$ + "," + if voiced > 0 then string$(st / voiced) else "" fi
    for f to 3
        line$ = line$ + "," + if fn[f] > 0 then string$(fsum[f] / fn[f]) else "" fi
    endfor
    for f to 3
        line$ = line$ + "," + if fn[f] > 0 then string$(bsum[f] / fn[f]) else "" fi
    endfor
    line$ = line$ + "," + string$(jitter) + "," + string$(shimmer) + "," + string$(hnr)
    appendInfoLine: line$
    removeObject: sound, pitch, formant, points, harmonicity
endfor
