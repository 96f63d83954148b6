"""Work reports (工作报告): gather the figures, render the PDF and the workbook, in the background."""
