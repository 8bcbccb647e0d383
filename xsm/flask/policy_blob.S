/*
 * The default policy (build/policy/policy.30), built into the image: used
 * when no boot module carries a policy.
 */
	.section .rodata, "a"
	.balign 8
	.globl flask_builtin_policy
	.globl flask_builtin_policy_end
flask_builtin_policy:
	.incbin FLASK_POLICY_FILE
flask_builtin_policy_end:
	.byte 0
	.section .note.GNU-stack, "", @progbits
