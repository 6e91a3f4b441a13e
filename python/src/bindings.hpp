// The parts of emo._emo, one file each.
#pragma once

#include <pybind11/pybind11.h>

namespace emo::python {

void bind_conversations(pybind11::module_& m);  // ConversationModel, CauseModel, reading and analysing dialogues
void bind_texts(pybind11::module_& m);          // TextModel
void bind_speech(pybind11::module_& m);         // SpeechModel, eGeMAPS
void bind_training(pybind11::module_& m);       // the trainers and the evaluation reports

}  // namespace emo::python
